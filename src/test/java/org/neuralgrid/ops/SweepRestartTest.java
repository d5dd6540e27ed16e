package org.neuralgrid.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neuralgrid.ops.ServerCrashRecoveryTest.upTo;
import static org.neuralgrid.ops.ServerProcess.JSON;
import static org.neuralgrid.ops.ServerProcess.syntheticRun;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep outlives its server: killed with -9 in the middle of its second run and started again on the same
 * folder, the sweep keeps its finished point untouched, its waiting point starts by itself, and resuming the sweep
 * finishes the interrupted point from its checkpoint with every epoch exactly once.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SweepRestartTest {
    private static final Duration TRAINING = Duration.ofMinutes(4);
    private static final int EPOCHS = 4;

    @TempDir
    Path temp;

    @Test
    void aSweepKilledMidRunKeepsItsFinishedPointsAndResumesTheInterruptedOne() throws Exception {
        Path data = temp.resolve("data");
        Path logs = temp.resolve("logs");
        String sweep;
        List<String> runs = new ArrayList<>();
        byte[] firstWeights;
        try (ServerProcess server = ServerProcess.serve(data, logs, "--max-concurrent", "1")) {
            HttpResponse<String> created = server.post("/api/sweeps", "{\"name\":\"kernels\",\"base\":"
                    + syntheticRun(EPOCHS, 1) + ",\"sweep\":{\"kernel\":[3,5,7]}}");
            assertEquals(201, created.statusCode(), created.body());
            sweep = JSON.readTree(created.body()).path("id").asText();
            server.getJson("/api/sweeps/" + sweep).path("runs").forEach(r -> runs.add(r.path("id").asText()));
            assertEquals(3, runs.size());

            server.awaitStatus(runs.get(0), "completed", TRAINING);
            server.awaitRun(runs.get(1), "two epochs of the second point", r -> r.path("epoch").asInt() >= 2,
                    TRAINING);
            firstWeights = Files.readAllBytes(weights(data, runs.get(0)));
            server.kill9();
        }

        try (ServerProcess server = ServerProcess.serve(data, logs, "--max-concurrent", "1")) {
            JsonNode first = server.run(runs.get(0));
            assertEquals("completed", first.path("status").asText(), "the finished point is kept");
            assertEquals(upTo(EPOCHS), server.metricEpochs(runs.get(0)));
            assertArrayEquals(firstWeights, Files.readAllBytes(weights(data, runs.get(0))));
            assertEquals("interrupted", server.run(runs.get(1)).path("status").asText());

            server.awaitStatus(runs.get(2), "completed", TRAINING);
            JsonNode waiting = server.getJson("/api/sweeps/" + sweep);
            assertEquals("interrupted", waiting.path("status").asText(), waiting.toString());

            HttpResponse<String> resumed = server.post("/api/sweeps/" + sweep + "/resume", "");
            assertEquals(200, resumed.statusCode(), resumed.body());
            JsonNode second = server.awaitStatus(runs.get(1), "completed", TRAINING);
            assertEquals(EPOCHS, second.path("epoch").asInt());
            assertEquals(upTo(EPOCHS), server.metricEpochs(runs.get(1)), "every epoch exactly once, in order");

            JsonNode done = server.getJson("/api/sweeps/" + sweep);
            assertEquals("completed", done.path("status").asText(), done.toString());
            for (JsonNode point : done.path("points")) {
                assertEquals(1, point.path("finished").asInt(), point.toString());
                assertTrue(point.path("finalTestMean").isNumber(), point.toString());
            }
            server.assertNoStackTrace();
        }
    }

    private static Path weights(Path data, String run) {
        return data.resolve("runs").resolve(run).resolve("weights.safetensors");
    }
}
