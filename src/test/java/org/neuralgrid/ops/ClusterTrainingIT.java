package org.neuralgrid.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on worker nodes, with real JVMs started from the built jar on loopback: a dashboard node ({@code serve --cluster}) hands its runs
 * to worker nodes ({@code worker --cluster}), which report epochs, maps and files back into the dashboard's store.
 * Every node binds 127.0.0.1 only and finds the others through the TCP member list; each test ends its processes
 * by pid.
 */
class ClusterTrainingIT {
    private static final String TOKEN = "cluster-training-" + UUID.randomUUID();
    private static final Duration FINISH = Duration.ofSeconds(240);

    @Test
    void sixRunsSpreadOverTwoWorkersStreamToTheDashboardAndTheirWeightsDownload(@TempDir Path dir) throws Exception {
        int[] ports = ClusterNodes.freePorts(3);
        Path logs = dir.resolve("logs");
        try (ServerProcess dashboard = dashboard(dir.resolve("dashboard"), logs, ports[0]);
             ServerProcess one = worker(dir.resolve("worker-1"), logs, ports[1], ports[0]);
             ServerProcess two = worker(dir.resolve("worker-2"), logs, ports[2], ports[0])) {
            awaitWorkers(dashboard, 2);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ids.add(dashboard.createRun(ServerProcess.syntheticRun(3, 1, 1024, 16)));
            }
            try (RunWatch watch = RunWatch.open(dashboard, ids.get(5))) {
                Set<String> nodes = new HashSet<>();
                for (String id : ids) {
                    JsonNode run = dashboard.awaitStatus(id, "completed", FINISH);
                    nodes.add(run.path("node").path("id").asText());
                    assertEquals("127.0.0.1", run.path("node").path("host").asText(), run.toString());
                    assertEquals(List.of(1, 2, 3), dashboard.metricEpochs(id), "the epochs of run " + id);
                    assertTrue(run.path("weights").path("final").asBoolean(), run.toString());
                    assertWeightsOfEpoch(dashboard, id, 3);
                }
                assertEquals(2, nodes.size(), "the runs went to both workers: " + nodes);
                assertEquals(List.of(1, 2, 3), watch.epochFrames(), "epoch frames streamed for the watched run");
                // a frame of each of the five map kinds before training and after each of the three epochs
                assertTrue(watch.binaryFrames() >= 5 * 3, "heatmap frames streamed: " + watch.binaryFrames());
                HttpResponse<byte[]> maps = dashboard.getBytes("/api/runs/" + ids.get(0) + "/heatmaps/3?kind=std");
                assertEquals(200, maps.statusCode(), "the std maps of epoch 3 are in the dashboard's store");
            }
            dashboard.assertNoStackTrace();
        }
    }

    @Test
    void aRunOfAKilledWorkerIsInterruptedWithinFifteenSecondsAndCompletesOnTheOtherWithEveryEpochOnce(
            @TempDir Path dir) throws Exception {
        int[] ports = ClusterNodes.freePorts(3);
        Path logs = dir.resolve("logs");
        int epochs = 6;
        try (ServerProcess dashboard = dashboard(dir.resolve("dashboard"), logs, ports[0]);
             ServerProcess one = worker(dir.resolve("worker-1"), logs, ports[1], ports[0]);
             ServerProcess two = worker(dir.resolve("worker-2"), logs, ports[2], ports[0])) {
            awaitWorkers(dashboard, 2);
            String id = dashboard.createRun(ServerProcess.syntheticRun(epochs, 1, 4096, 32));
            try (RunWatch watch = RunWatch.open(dashboard, id)) {
                JsonNode running = dashboard.awaitRun(id, "epoch 2 stored", r -> r.path("epoch").asInt() >= 2,
                        FINISH);
                String first = running.path("node").path("id").asText();
                String metrics = dashboard.get("/metrics").body();
                assertTrue(metrics.contains("neuralgrid_run_epoch{run=\"" + id + "\""),
                        "the dashboard's /metrics shows the run a worker trains");
                HttpResponse<String> probe = dashboard.post("/api/runs/" + id + "/probe", "{\"testIndex\":0}");
                assertEquals(200, probe.statusCode(), probe.body());
                JsonNode probed = ServerProcess.JSON.readTree(probe.body());
                assertEquals("live", probed.path("which").asText(), "a live probe reaches the worker: " + probed);
                assertTrue(probed.path("epoch").asInt() >= 2, probe.body());
                assertEquals(10, probed.path("probabilities").size(), probe.body());
                ServerProcess trainer = holds(one, id) ? one : holds(two, id) ? two : null;
                if (trainer == null) {
                    fail("neither worker says it holds run " + id + "\n" + one.output() + "\n" + two.output());
                }
                trainer.kill9();
                long killed = System.nanoTime();
                watch.await("the run interrupted", f -> "status".equals(f.path("type").asText())
                        && "interrupted".equals(f.path("status").asText()), Duration.ofSeconds(30));
                double seconds = (System.nanoTime() - killed) / 1e9;
                System.out.printf("run %s interrupted %.1f s after its worker was killed%n", id, seconds);
                assertTrue(seconds < 15, "interrupted " + seconds + " s after the kill");
                JsonNode done = dashboard.awaitStatus(id, "completed", FINISH);
                assertNotEquals(first, done.path("node").path("id").asText(), "it completed on the other worker");
                assertEquals(IntStream.rangeClosed(1, epochs).boxed().toList(), dashboard.metricEpochs(id),
                        "every epoch exactly once");
                assertWeightsOfEpoch(dashboard, id, epochs);
            }
        }
    }

    @Test
    void aRunOnAWorkerCompletesWithAllItsEpochsWhileTheDashboardRestarts(@TempDir Path dir) throws Exception {
        int[] ports = ClusterNodes.freePorts(2);
        Path logs = dir.resolve("logs");
        Path data = dir.resolve("dashboard");
        int epochs = 5;
        try (ServerProcess worker = worker(dir.resolve("worker"), logs, ports[1], ports[0])) {
            String id;
            try (ServerProcess dashboard = dashboard(data, logs, ports[0])) {
                awaitWorkers(dashboard, 1);
                id = dashboard.createRun(ServerProcess.syntheticRun(epochs, 1, 4096, 32));
                dashboard.awaitRun(id, "epoch 1 stored", r -> r.path("epoch").asInt() >= 1, FINISH);
                dashboard.term();
                if (!dashboard.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    fail("the dashboard did not stop on SIGTERM\n" + dashboard.output());
                }
            }
            // the worker trains on, keeping its reports, while no dashboard is there
            Thread.sleep(3_000);
            assertTrue(worker.process().isAlive(), worker.output());
            try (ServerProcess again = ServerProcess.serve(data, logs, ClusterNodes.JVM,
                    ClusterNodes.cluster(ports[0], TOKEN, "127.0.0.1:" + ports[1]))) {
                JsonNode shown = again.run(id);
                assertTrue(shown.path("status").asText().matches("running|completed"),
                        "the restarted dashboard shows the run as still training: " + shown);
                JsonNode done = again.awaitStatus(id, "completed", FINISH);
                assertEquals(IntStream.rangeClosed(1, epochs).boxed().toList(), again.metricEpochs(id),
                        "all its epochs, each once");
                assertTrue(done.path("weights").path("final").asBoolean(), done.toString());
                assertWeightsOfEpoch(again, id, epochs);
            }
        }
    }

    /**
     * Runs wait in the queue while no node can take them; a worker that joins late takes them, copying
     * Fashion-MNIST from the dashboard's data folder (it has none and must not fetch); a drained worker finishes
     * what it has and takes no more, so the next run waits for another worker.
     */
    @Test
    void aLateWorkerTakesQueuedRunsWithTheDashboardsDataAndADrainedOneTakesNoMore(@TempDir Path dir)
            throws Exception {
        int[] ports = ClusterNodes.freePorts(3);
        Path logs = dir.resolve("logs");
        Path data = dir.resolve("dashboard");
        writeSmallFashionMnist(data.resolve("fashion-mnist"));
        String run = "{\"dataset\":\"fashion-mnist\",\"height\":8,\"width\":8,\"batch\":64,\"epochs\":2,"
                + "\"backend\":\"java\",\"threads\":1,\"checkpointEvery\":1}";
        try (ServerProcess dashboard = dashboard(data, logs, ports[0])) {
            String first = dashboard.createRun(run);
            Thread.sleep(3_000);
            assertEquals("queued", dashboard.run(first).path("status").asText(), "no node yet");
            try (ServerProcess late = worker(dir.resolve("worker-1"), logs, ports[1], ports[0])) {
                JsonNode done = dashboard.awaitStatus(first, "completed", FINISH);
                assertEquals(List.of(1, 2), dashboard.metricEpochs(first));
                String lateNode = done.path("node").path("id").asText();
                assertTrue((late.stdout() + late.stderr()).contains("copied Fashion-MNIST from the dashboard node"),
                        late.output());

                HttpResponse<String> drained = dashboard.post("/api/nodes/" + lateNode + "/drain", "{\"drain\":true}");
                assertEquals(200, drained.statusCode(), drained.body());
                assertTrue(ServerProcess.JSON.readTree(drained.body()).path("draining").asBoolean(), drained.body());
                ClusterNodes.awaitNodes(dashboard, late, "the worker draining", n -> n.size() == 2
                        && n.get(1).path("draining").asBoolean(), Duration.ofSeconds(30));
                String second = dashboard.createRun(run);
                Thread.sleep(3_000);
                assertEquals("queued", dashboard.run(second).path("status").asText(), "the only worker drains");
                try (ServerProcess other = worker(dir.resolve("worker-2"), logs, ports[2], ports[0])) {
                    JsonNode after = dashboard.awaitStatus(second, "completed", FINISH);
                    assertNotEquals(lateNode, after.path("node").path("id").asText(), "the drained node took it");
                }
                HttpResponse<String> unknown = dashboard.post("/api/nodes/no-such-node/drain", "{\"drain\":true}");
                assertEquals(404, unknown.statusCode(), unknown.body());
            }
        }
    }

    /** Cancel and delete reach the worker that trains: it stops, and its room and scratch folder are freed. */
    @Test
    void aRunOnAWorkerCanBeCancelledAndDeletedFromTheDashboard(@TempDir Path dir) throws Exception {
        int[] ports = ClusterNodes.freePorts(2);
        Path logs = dir.resolve("logs");
        Path workerData = dir.resolve("worker");
        try (ServerProcess dashboard = dashboard(dir.resolve("dashboard"), logs, ports[0]);
             ServerProcess worker = worker(workerData, logs, ports[1], ports[0])) {
            awaitWorkers(dashboard, 1);
            String long1 = dashboard.createRun(ServerProcess.syntheticRun(50, 1, 4096, 32));
            dashboard.awaitRun(long1, "epoch 1 stored", r -> r.path("epoch").asInt() >= 1, FINISH);
            assertEquals(200, dashboard.post("/api/runs/" + long1 + "/cancel", "{}").statusCode());
            assertEquals("cancelled", dashboard.awaitStatus(long1, "cancelled", FINISH).path("status").asText());

            String long2 = dashboard.createRun(ServerProcess.syntheticRun(50, 1, 4096, 32));
            dashboard.awaitRun(long2, "epoch 1 stored", r -> r.path("epoch").asInt() >= 1, FINISH);
            var delete = dashboard.http().send(dashboard.request("/api/runs/" + long2).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(delete.statusCode() / 100 == 2, delete.statusCode() + " " + delete.body());
            assertEquals(404, dashboard.get("/api/runs/" + long2).statusCode());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Path scratch = workerData.resolve("runs").resolve(long2);
            Path stored = dir.resolve("dashboard").resolve("runs").resolve(long2);
            while (java.nio.file.Files.exists(scratch) || java.nio.file.Files.exists(stored)) {
                if (System.nanoTime() > deadline) {
                    fail("the deleted run's folders stayed: worker " + java.nio.file.Files.exists(scratch)
                            + ", dashboard " + java.nio.file.Files.exists(stored) + "\n" + worker.output());
                }
                Thread.sleep(200);
            }
            // and the worker has room again
            String next = dashboard.createRun(ServerProcess.syntheticRun(1, 1, 1024, 16));
            dashboard.awaitStatus(next, "completed", FINISH);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** A Fashion-MNIST folder of 28x28 images, small enough to train in a moment (512 + 128 images). */
    private static void writeSmallFashionMnist(Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        var split = org.neuralgrid.data.SyntheticData.generate(512, 128, 7);
        org.neuralgrid.data.IdxFormat.writeImages(dir.resolve("train-images-idx3-ubyte.gz"), split.train());
        org.neuralgrid.data.IdxFormat.writeLabels(dir.resolve("train-labels-idx1-ubyte.gz"), split.train());
        org.neuralgrid.data.IdxFormat.writeImages(dir.resolve("t10k-images-idx3-ubyte.gz"), split.test());
        org.neuralgrid.data.IdxFormat.writeLabels(dir.resolve("t10k-labels-idx1-ubyte.gz"), split.test());
    }

    private static ServerProcess dashboard(Path data, Path logs, int port) throws Exception {
        return ServerProcess.serve(data, logs, ClusterNodes.JVM, ClusterNodes.cluster(port, TOKEN));
    }

    /** A worker that trains one run at a time (so that runs spread over the workers). */
    private static ServerProcess worker(Path data, Path logs, int port, int dashboardPort) throws Exception {
        return ServerProcess.worker(data, logs, ClusterNodes.JVM, ClusterNodes.append(
                ClusterNodes.cluster(port, TOKEN, "127.0.0.1:" + dashboardPort), "--max-concurrent", "1"));
    }

    private static void awaitWorkers(ServerProcess dashboard, int workers) throws Exception {
        ClusterNodes.awaitNodes(dashboard, null, workers + " worker(s)", n -> n.size() == workers + 1,
                Duration.ofSeconds(60));
    }

    /** Whether a worker's log says the run was handed to it (the last worker that says so trains it). */
    private static boolean holds(ServerProcess worker, String id) {
        return (worker.stdout() + worker.stderr()).contains("run " + id + " (attempt");
    }

    /** The final weights download whole, as safetensors of the last epoch. */
    private static void assertWeightsOfEpoch(ServerProcess server, String id, int epoch) throws Exception {
        HttpResponse<byte[]> weights = server.getBytes("/api/runs/" + id + "/weights");
        assertEquals(200, weights.statusCode(), "weights of run " + id);
        byte[] bytes = weights.body();
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        JsonNode meta = ServerProcess.JSON.readTree(header).path("__metadata__");
        assertEquals(Integer.toString(epoch), meta.path("epoch").asText(), header);
    }
}
