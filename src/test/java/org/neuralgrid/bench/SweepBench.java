package org.neuralgrid.bench;

import static org.neuralgrid.bench.BenchSupport.JSON;
import static org.neuralgrid.bench.BenchSupport.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuralgrid.web.ServerOptions;

/**
 * Sweeps through a real dashboard: wall time from {@code POST /api/sweeps} to the last run stored, for the same
 * sweep under each packing setting (interleaved rounds), and the sweep machinery's own cost per run.
 *
 * <pre>
 * SweepBench --what packing [--rounds 3] [--runs 8] [--grid 64x64] [--epochs 2] [--fashion-mnist DIR]
 *            [--samples N] (synthetic data without --fashion-mnist)
 * SweepBench --what overhead [--runs 200]
 * </pre>
 * Packing compares one run at a time ({@code --max-concurrent 1}), auto, and two at once with one thread each.
 * Overhead runs a sweep of tiny synthetic runs (two learning rates, runs / 2 seeds each) one at a time:
 * (wall - the runs' own epoch seconds) / runs.
 */
public final class SweepBench {
    private SweepBench() {
    }

    public static void main(String[] argv) throws Exception {
        BenchSupport.Args args = new BenchSupport.Args(argv);
        ObjectNode result = "overhead".equals(args.string("what", "packing")) ? overhead(args) : packing(args);
        System.out.println(JSON.writeValueAsString(result));
    }

    /** One setting: a ceiling and the runs' thread count (0: all cores). */
    private record Setting(String name, int maxConcurrent, int threads) {
    }

    private static ObjectNode packing(BenchSupport.Args args) throws Exception {
        int rounds = args.integer("rounds", 3);
        int runs = args.integer("runs", 8);
        String mnist = args.string("fashion-mnist", null);
        int[] grid = BenchSupport.grid(args.string("grid", "64x64"));
        List<Setting> settings = List.of(new Setting("one at a time", 1, 0),
                new Setting("auto", ServerOptions.AUTO_CONCURRENT, 0),
                new Setting("two at once, 1 thread each", 2, 1));
        Map<String, List<Double>> walls = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (Setting s : settings) {
                ObjectNode base = base(args, grid, mnist != null);
                base.put("threads", s.threads());
                double wall = sweepWall(s.maxConcurrent(), mnist == null ? null : Path.of(mnist), base, runs);
                log("round " + round + ", " + s.name() + ": " + String.format("%.1f s", wall));
                walls.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(wall);
            }
        }
        ObjectNode out = JSON.createObjectNode().put("what", "packing").put("runs", runs)
                .put("grid", grid[0] + "x" + grid[1]).put("data", mnist == null ? "synthetic" : "fashion-mnist")
                .put("cores", Runtime.getRuntime().availableProcessors());
        double alone = BenchSupport.median(walls.get(settings.get(0).name()));
        walls.forEach((name, w) -> out.putObject(name).put("medianSeconds", BenchSupport.median(w))
                .put("ratioToOneAtATime", BenchSupport.median(w) / alone).set("seconds", JSON.valueToTree(w)));
        return out;
    }

    private static ObjectNode base(BenchSupport.Args args, int[] grid, boolean fashionMnist) {
        ObjectNode base = JSON.createObjectNode().put("height", grid[0]).put("width", grid[1])
                .put("epochs", args.integer("epochs", 2)).put("backend", "java").put("mapSamples", 16);
        if (fashionMnist) {
            base.put("dataset", "fashion-mnist");
        } else {
            base.put("dataset", "synthetic").put("samples", args.integer("samples", 4096)).put("testSamples", 1024);
        }
        return base;
    }

    /** Seconds from POST /api/sweeps to every run completed, {@code runs} seeds of one point. */
    private static double sweepWall(int maxConcurrent, Path fashionMnist, ObjectNode base, int runs)
            throws Exception {
        try (BenchSupport.Server server = BenchSupport.Server.start("sweep-bench", null, false, v -> {
        }, maxConcurrent, fashionMnist)) {
            ObjectNode spec = JSON.createObjectNode().put("seeds", runs);
            spec.set("base", base);
            long start = System.nanoTime();
            String id = server.post("/api/sweeps", spec).path("id").asText();
            awaitSweep(server, id);
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static JsonNode awaitSweep(BenchSupport.Server server, String id) throws Exception {
        while (true) {
            JsonNode sweep = server.get("/api/sweeps/" + id);
            String status = sweep.path("status").asText();
            if (!status.equals("running") && !status.equals("queued")) {
                if (!status.equals("completed")) {
                    throw new IllegalStateException("sweep " + id + " ended " + status + ": " + sweep);
                }
                return sweep;
            }
            Thread.sleep(50);
        }
    }

    private static ObjectNode overhead(BenchSupport.Args args) throws Exception {
        int runs = args.integer("runs", 200);
        ObjectNode base = JSON.createObjectNode().put("dataset", "synthetic").put("samples", 256)
                .put("testSamples", 64).put("height", 8).put("width", 4).put("batch", 64).put("epochs", 1)
                .put("backend", "java").put("threads", 1).put("checkpointEvery", 0);
        try (BenchSupport.Server server = BenchSupport.Server.start("sweep-overhead", null, false, v -> {
        }, 1, null)) {
            // at most 100 seeds a point: two points of runs / 2 seeds each
            ObjectNode spec = JSON.createObjectNode().put("seeds", runs / 2);
            spec.set("base", base);
            spec.putObject("sweep").putArray("lr").add(0.003).add(0.004);
            long start = System.nanoTime();
            String id = server.post("/api/sweeps", spec).path("id").asText();
            long stored = System.nanoTime();
            JsonNode sweep = awaitSweep(server, id);
            double wall = (System.nanoTime() - start) / 1e9;
            double training = 0;
            for (JsonNode r : sweep.path("runs")) {
                training += r.path("seconds").asDouble();
            }
            log(String.format("%d runs: %.1f s wall, %.1f s in their epochs", runs, wall, training));
            return JSON.createObjectNode().put("what", "overhead").put("runs", runs)
                    .put("secondsToStoreTheSweep", (stored - start) / 1e9).put("wallSeconds", wall)
                    .put("epochSeconds", training).put("overheadMillisPerRun", 1000 * (wall - training) / runs);
        }
    }
}
