package org.neuralgrid.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.SyntheticData;
import org.neuralgrid.engine.Backend;
import org.neuralgrid.engine.GradientParity;
import org.neuralgrid.engine.catalog.BackendCatalog;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.BackendSpec;
import org.neuralgrid.model.DatasetKind;
import org.neuralgrid.model.RunConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check that a backend computes what the Java backend computes: the gradient of every tensor",
                "of 2D and 3D grids (k = 3 and 5, several activations) on the same synthetic samples. Exit code 1",
                "when any tensor differs by more than the tolerance; the last line is one JSON object."})
final class CheckCommand implements Callable<Integer> {
    @Option(names = "--backend", description = "the backend to check: opencl[:N] or auto (default: ${DEFAULT-VALUE})")
    String backend = "opencl";

    @Option(names = "--samples", description = "samples in each gradient (default: ${DEFAULT-VALUE})")
    int samples = 256;

    @Option(names = "--tolerance", description = "largest relative error allowed (default: ${DEFAULT-VALUE})")
    double tolerance = 1e-4;

    /**
     * The models checked: short and tall 2D layers, several cells a work-item, 3D sheets, both window sizes. At
     * most 16 layers: at the published initialisation a deep sine grid amplifies rounding (float and double
     * gradients of a 128x64 grid differ by 1e-2, see BENCHMARKS.md), so any two float implementations of it
     * differ by as much, and only shallower grids can show that two compute the same function.
     */
    static List<RunConfig> cases(BackendSpec backend, int batch) {
        return List.of(
                model(128, 8, 3, Activation.SIN, backend, batch),
                model(64, 16, 5, Activation.TANH, backend, batch),
                model(13, 8, 3, Activation.GELU, backend, batch),
                model(1000, 4, 5, Activation.SIN, backend, batch),
                model(1, 1, 3, Activation.SIN, backend, batch).as3d(16),
                model(1, 1, 5, Activation.RELU, backend, batch).as3d(4));
    }

    private static RunConfig model(int h, int w, int k, Activation a, BackendSpec backend, int batch) {
        return RunConfig.defaults().with(Map.ofEntries(Map.entry("height", h), Map.entry("width", w),
                Map.entry("kernel", k), Map.entry("activation", a), Map.entry("gain", Math.sqrt(2)),
                Map.entry("batch", batch), Map.entry("epochs", 1), Map.entry("seed", 7L),
                Map.entry("dataset", DatasetKind.SYNTHETIC), Map.entry("samples", batch),
                Map.entry("testSamples", batch), Map.entry("backend", backend), Map.entry("checkpointEvery", 0)));
    }

    @Override
    public Integer call() {
        if (samples < 1 || samples > RunConfig.MAX_BATCH) {
            throw new IllegalArgumentException("--samples must be between 1 and " + RunConfig.MAX_BATCH);
        }
        BackendSpec spec = CliErrors.option("--backend", () -> BackendSpec.parse(backend));
        if (spec.kind() == BackendSpec.Kind.JAVA) {
            throw new IllegalArgumentException("the Java backend is the reference; name opencl[:N] or auto");
        }
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("--tolerance must be a number >= 0");
        }
        DataSplit data = SyntheticData.generate(samples, samples, 7);
        int[] picked = new int[samples];
        for (int i = 0; i < samples; i++) {
            picked[i] = (int) ((i * 7L) % samples);
        }
        ObjectMapper json = new ObjectMapper();
        ArrayNode results = json.createArrayNode();
        boolean ok = true;
        String device = "";
        BackendCatalog catalog = BackendCatalog.standard();
        for (RunConfig c : cases(spec, samples)) {
            c.validated();
            GradientParity p;
            try (Backend reference = catalog.open(c.withBackend(BackendSpec.JAVA)); Backend other = catalog.open(c)) {
                p = GradientParity.measure(c, reference, other, data, picked);
            }
            if (p.backend().equals("java")) {
                throw new IllegalArgumentException("--backend " + backend
                        + " chose the Java backend (no OpenCL GPU found): nothing to compare; name opencl[:N]");
            }
            device = p.device();
            boolean pass = p.maxError() <= tolerance;
            ok &= pass;
            System.out.println(line(c, p, pass));
            ObjectNode r = results.addObject();
            r.put("grid", c.gridText()).put("kernel", c.kernel()).put("activation", c.activation().id())
                    .put("max_relative_error", p.maxError()).put("ok", pass);
        }
        ObjectNode summary = json.createObjectNode();
        summary.put("backend", backend).put("device", device).put("samples", samples).put("tolerance", tolerance)
                .put("ok", ok).set("cases", results);
        summary.put("signalChaining", SignalChaining.active());
        System.out.println(SignalChaining.report());
        System.out.println(summary);
        return ok ? 0 : 1;
    }

    private static String line(RunConfig c, GradientParity p, boolean pass) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-10s k=%d %-8s", c.gridText(), c.kernel(),
                c.activation().id()));
        for (Map.Entry<String, Double> e : p.errors().entrySet()) {
            s.append(String.format(Locale.ROOT, "  %s %.1e", e.getKey(), e.getValue()));
        }
        return s.append(pass ? "  ok" : "  DIFFERS").toString();
    }
}
