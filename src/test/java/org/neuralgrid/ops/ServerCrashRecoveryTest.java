package org.neuralgrid.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neuralgrid.ops.ServerProcess.JSON;
import static org.neuralgrid.ops.ServerProcess.safetensorsMetadata;
import static org.neuralgrid.ops.ServerProcess.syntheticRun;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed outright (SIGKILL: the OOM killer, a power cut, {@code kill -9}) during training and started
 * again on the same data folder loses nothing it had finished: a completed run keeps its status, metrics and
 * weights, and the run that was training is interrupted at its last checkpoint and resumes from there to the end.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ServerCrashRecoveryTest {
    private static final Duration TRAINING = Duration.ofMinutes(4);

    @TempDir
    Path temp;

    @Test
    void afterAKill9TheFinishedRunIsIntactAndTheKilledRunResumesFromItsLastCheckpoint() throws Exception {
        Path data = temp.resolve("data");
        Path logs = temp.resolve("logs");
        int epochs = 7;
        String finished;
        String killed;
        JsonNode finishedBefore;
        JsonNode metricsBefore;
        byte[] weightsBefore;
        int epochSeenBeforeTheKill;
        try (ServerProcess server = ServerProcess.serve(data, logs)) {
            finished = server.createRun(syntheticRun(2, 2));
            finishedBefore = server.awaitStatus(finished, "completed", TRAINING);
            metricsBefore = server.getJson("/api/runs/" + finished + "/metrics");
            weightsBefore = server.getBytes("/api/runs/" + finished + "/weights").body();
            killed = server.createRun(syntheticRun(epochs, 2));
            // an odd epoch: one beyond the checkpoint of the epoch before it, which the kill must take away
            JsonNode training = server.awaitRun(killed, "an odd epoch after a checkpoint",
                    r -> r.path("epoch").asInt() >= 3 && r.path("epoch").asInt() % 2 == 1, TRAINING);
            server.kill9();
            epochSeenBeforeTheKill = training.path("epoch").asInt();
        }
        Path checkpoint = data.resolve("runs").resolve(killed).resolve("checkpoint.safetensors");
        int checkpointEpoch = Integer.parseInt(safetensorsMetadata(checkpoint).path("epoch").asText());

        try (ServerProcess server = ServerProcess.serve(data, logs)) {
            JsonNode after = server.run(finished);
            assertEquals("completed", after.path("status").asText(), after.toString());
            assertEquals(finishedBefore.path("epoch"), after.path("epoch"));
            assertEquals(finishedBefore.path("bestTestAccuracy"), after.path("bestTestAccuracy"));
            assertEquals(metricsBefore, server.getJson("/api/runs/" + finished + "/metrics"));
            HttpResponse<byte[]> weights = server.getBytes("/api/runs/" + finished + "/weights");
            assertEquals(200, weights.statusCode());
            assertArrayEquals(weightsBefore, weights.body(), "the finished run's weights are the same bytes");

            JsonNode interrupted = server.run(killed);
            assertEquals("interrupted", interrupted.path("status").asText(), interrupted.toString());
            int epoch = interrupted.path("epoch").asInt();
            assertEquals(checkpointEpoch, epoch, "the killed run's epoch is that of its last checkpoint (it had "
                    + "reported epoch " + epochSeenBeforeTheKill + " before the kill): " + interrupted);
            assertEquals(0, epoch % 2, "checkpoints come every 2 epochs");
            assertTrue(epoch >= epochSeenBeforeTheKill - 1, "no checkpoint was lost: epoch " + epoch);
            assertEquals(upTo(epoch), server.metricEpochs(killed), "the metrics beyond the checkpoint are gone");

            HttpResponse<String> resumed = server.post("/api/runs/" + killed + "/resume", "");
            assertEquals(200, resumed.statusCode(), resumed.body());
            assertTrue(JSON.readTree(resumed.body()).path("status").asText().matches("queued|running"),
                    resumed.body());
            JsonNode completed = server.awaitStatus(killed, "completed", TRAINING);
            assertEquals(epochs, completed.path("epoch").asInt());
            assertEquals(upTo(epochs), server.metricEpochs(killed), "every epoch exactly once, in order");
            assertEquals(200, server.getBytes("/api/runs/" + killed + "/weights").statusCode());
            server.assertNoStackTrace();
        }
    }

    static List<Integer> upTo(int last) {
        return IntStream.rangeClosed(1, last).boxed().collect(Collectors.toList());
    }
}
