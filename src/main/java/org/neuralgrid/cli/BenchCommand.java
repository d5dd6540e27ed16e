package org.neuralgrid.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.SyntheticData;
import org.neuralgrid.engine.Backend;
import org.neuralgrid.engine.BestEpoch;
import org.neuralgrid.engine.EpochMetrics;
import org.neuralgrid.engine.Trainer;
import org.neuralgrid.engine.TrainingListener;
import org.neuralgrid.engine.catalog.BackendCatalog;
import org.neuralgrid.model.DatasetKind;
import org.neuralgrid.model.RunConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true, modelTransformer = BenchCommand.Options.class,
        description = {"Time training epochs on synthetic data; the last line is one JSON object.",
                "The first epoch is warm-up: seconds_per_epoch is the mean of the others."})
final class BenchCommand implements Callable<Integer> {
    /** The published model on 60,000 synthetic images, three epochs, no checkpoints. */
    static final RunConfig BASE = RunConfig.defaults().with(Map.of("dataset", DatasetKind.SYNTHETIC,
            "samples", 60_000, "testSamples", 1_000, "epochs", 3, "checkpointEvery", 0));

    /** Every field but the dataset and the checkpoints, with the defaults of {@link #BASE}. */
    static final class Options extends ConfigOptions {
        Options() {
            super(BASE, Set.of("dataset", "checkpointEvery"));
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--grid", paramLabel = "HxW", description = "2d: --height x --width in one, e.g. 128x128")
    String grid;

    @Override
    public Integer call() {
        RunConfig config = ConfigOptions.read(spec, BASE, GridShorthand.parse(grid)).validated();
        DataSplit data = SyntheticData.generate(config.samples(), config.testSamples(), config.seed());
        List<Double> seconds = new ArrayList<>();
        try (Backend backend = BackendCatalog.standard().open(config)) {
            backend.upload(data);
            TrainingListener timing = new TrainingListener() {
                @Override
                public void onEpoch(EpochMetrics m, BestEpoch best) {
                    seconds.add(m.seconds());
                    System.out.println(ConsoleProgress.line(m));
                }
            };
            new Trainer(config, backend, data, timing, Trainer.Checkpoints.NONE).train(1, BestEpoch.NONE, () -> false);
            System.out.println(summary(config, backend, seconds));
        }
        return 0;
    }

    private static String summary(RunConfig c, Backend backend, List<Double> seconds) {
        List<Double> timed = seconds.size() > 1 ? seconds.subList(1, seconds.size()) : seconds;
        double mean = timed.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        ObjectNode json = new ObjectMapper().createObjectNode();
        json.put("backend", backend.name());
        json.put("device", backend.device());
        String tuning = backend.tuning();
        if (!tuning.isEmpty()) {
            json.put("tuning", tuning);
        }
        json.put("grid", c.gridText());
        json.put("kernel", c.kernel());
        json.put("activation", c.activation().id());
        json.put("batch", c.batch());
        json.put("samples", c.samples());
        json.put("epochs", c.epochs());
        json.put("seconds_per_epoch", Math.round(mean * 1e4) / 1e4);
        json.put("samples_per_second", Math.round(c.samples() / c.batch() * c.batch() / mean));
        json.putPOJO("epoch_seconds", seconds.stream().map(s -> Math.round(s * 1e4) / 1e4).toList());
        json.put("java", Runtime.version().toString());
        return json.toString();
    }
}
