package org.neuralgrid.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How long {@code POST /api/runs/{id}/probe} takes for a 128x128 grid, end to end over HTTP on 127.0.0.1: a test
 * image by index, with the saliency of a class (the whole answer: probabilities, the 16,384 cells' activations and
 * saliencies, the pixel saliency).
 *
 * <p>One real dashboard on a fresh data folder. Phases, {@code --probes} (50) probes each, one at a time, after
 * {@code --warmup} (10) unmeasured ones:
 * <ul>
 * <li>{@code final}: a finished run, its final weights read from disk for every probe;</li>
 * <li>{@code live}: a run that trains (all cores), its live parameters taken between two steps.</li>
 * </ul>
 * Options: {@code --grid 128x128 --probes 50 --warmup 10 --samples 4096 --test-samples 1000 --batch 256
 * --threads 0 --keep}. Ends with one JSON line.
 */
public final class ProbeLatencyBench {
    private ProbeLatencyBench() {
    }

    public static void main(String[] argv) throws Exception {
        BenchSupport.Args args = new BenchSupport.Args(argv);
        int[] hw = BenchSupport.grid(args.string("grid", "128x128"));
        int probes = args.integer("probes", 50);
        int warmup = args.integer("warmup", 10);
        int samples = args.integer("samples", 4096);
        int testSamples = args.integer("test-samples", 1000);
        int batch = args.integer("batch", 256);
        int threads = args.integer("threads", 0);
        ObjectNode out = BenchSupport.JSON.createObjectNode().put("bench", "probe-latency")
                .put("grid", hw[0] + "x" + hw[1]);
        out.set("machineBefore", BenchSupport.machine());
        try (BenchSupport.Server server = BenchSupport.Server.start("neuralgrid-probe-bench", null,
                args.flag("keep"))) {
            String done = server.startRun("finished", BenchSupport.syntheticRun(hw[0], hw[1], samples, testSamples,
                    batch, 1, threads));
            server.awaitStatus(done, Set.of("completed"), Duration.ofMinutes(10), 200);
            out.set("final", measure(server, done, warmup, probes));

            String training = server.startRun("training", BenchSupport.syntheticRun(hw[0], hw[1], samples,
                    testSamples, batch, 10_000, threads));
            server.awaitStatus(training, Set.of("running"), Duration.ofMinutes(5), 100);
            out.set("live", measure(server, training, warmup, probes));
            server.post("/api/runs/" + training + "/cancel");
        }
        out.set("machineAfter", BenchSupport.machine());
        System.out.println(BenchSupport.JSON.writeValueAsString(out));
    }

    private static ObjectNode measure(BenchSupport.Server server, String id, int warmup, int probes)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Double> ms = new ArrayList<>();
        String which = null;
        for (int i = 0; i < warmup + probes; i++) {
            String body = "{\"testIndex\":" + (i * 7 % 1000) + ",\"class\":" + (i % 10) + "}";
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.base + "/api/runs/" + id
                            + "/probe")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            double elapsed = (System.nanoTime() - t0) / 1e6;
            if (r.statusCode() != 200) {
                throw new IllegalStateException("probe answered " + r.statusCode() + ": " + r.body());
            }
            JsonNode answer = BenchSupport.JSON.readTree(r.body());
            which = answer.path("which").asText();
            if (i >= warmup) {
                ms.add(elapsed);
            }
        }
        BenchSupport.log(which + ": median " + BenchSupport.median(ms) + " ms");
        ObjectNode phase = BenchSupport.summary(ms);
        phase.set("percentiles", BenchSupport.percentiles(BenchSupport.sorted(ms)));
        phase.put("which", which);
        return phase;
    }
}
