package org.neuralgrid.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neuralgrid.ops.ServerCrashRecoveryTest.upTo;
import static org.neuralgrid.ops.ServerProcess.JSON;
import static org.neuralgrid.ops.ServerProcess.safetensorsMetadata;
import static org.neuralgrid.ops.ServerProcess.syntheticRun;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM (systemd's stop, {@code docker stop}, Ctrl-C's cousin) during training is an orderly stop: the process
 * exits with 0 within 10 s and without a stack trace, the training run keeps every finished epoch and a checkpoint
 * of the batch where it stopped, and after a restart it waits, interrupted, for a resume while the run that was
 * queued starts by itself.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ServerShutdownTest {
    private static final Duration TRAINING = Duration.ofMinutes(4);
    /** Enough steps on a grid large enough that an epoch lasts seconds: progress frames come from its first half. */
    private static final int SAMPLES = 8192;
    private static final int SIDE = 96;
    private static final int STEPS_PER_EPOCH = SAMPLES / 64;

    @TempDir
    Path temp;

    @Test
    void sigtermDuringTrainingExitsWith0AndTheRunsContinueAfterARestart() throws Exception {
        Path data = temp.resolve("data");
        Path logs = temp.resolve("logs");
        int epochs = 4;
        String training;
        String queued;
        int lastEpochBeforeTheStop;
        try (ServerProcess server = ServerProcess.serve(data, logs, "--max-concurrent", "1")) {
            training = server.createRun(syntheticRun(epochs, 2, SAMPLES, SIDE));
            queued = server.createRun(syntheticRun(2, 2));
            try (RunWatch watch = RunWatch.open(server, training)) {
                // in the middle of an epoch after the first: a finished epoch to keep, and batches beyond it
                watch.await("progress in the first half of epoch 2 or later", f -> "progress".equals(
                        f.path("type").asText()) && f.path("epoch").asInt() >= 2 && f.path("batch").asInt() >= 1
                        && f.path("batch").asInt() <= f.path("batches").asInt() / 2, TRAINING);
                assertEquals("queued", server.run(queued).path("status").asText(), "one run at a time");
                lastEpochBeforeTheStop = watch.lastEpoch();
                server.term();
                Optional<Integer> exit = server.awaitExit(Duration.ofSeconds(10));
                assertTrue(exit.isPresent(), "still running 10 s after SIGTERM\n" + server.output());
                assertEquals(0, exit.get(), "exit code after SIGTERM\n" + server.output());
            }
            server.assertNoStackTrace();
        }
        JsonNode checkpoint = safetensorsMetadata(data.resolve("runs").resolve(training)
                .resolve("checkpoint.safetensors"));
        long adamStep = Long.parseLong(checkpoint.path("adam_step").asText("0"));

        Instant restart = Instant.now();
        try (ServerProcess server = ServerProcess.serve(data, logs, "--max-concurrent", "1")) {
            JsonNode interrupted = server.run(training);
            assertEquals("interrupted", interrupted.path("status").asText(), interrupted.toString());
            assertTrue(interrupted.path("message").asText().matches("(?i).*\\bstop.*"),
                    "the message says the server was stopped: " + interrupted.path("message"));
            assertEquals(lastEpochBeforeTheStop, interrupted.path("epoch").asInt(),
                    "no finished epoch was lost: " + interrupted);
            assertEquals(upTo(lastEpochBeforeTheStop), server.metricEpochs(training));
            assertTrue(adamStep > (long) STEPS_PER_EPOCH * lastEpochBeforeTheStop, "the checkpoint holds the "
                    + "batches trained after epoch " + lastEpochBeforeTheStop + " (" + STEPS_PER_EPOCH
                    + " steps an epoch): its adam_step is " + adamStep + ", metadata " + checkpoint);

            JsonNode second = server.awaitStatus(queued, "completed", TRAINING);
            assertTrue(Instant.parse(second.path("started").asText()).isAfter(restart),
                    "the queued run started after the restart, by itself: " + second);
            assertEquals(upTo(2), server.metricEpochs(queued));
            assertEquals("interrupted", server.run(training).path("status").asText(),
                    "an interrupted run waits for a resume");

            HttpResponse<String> resumed = server.post("/api/runs/" + training + "/resume", "");
            assertEquals(200, resumed.statusCode(), resumed.body());
            assertTrue(JSON.readTree(resumed.body()).path("status").asText().matches("queued|running"),
                    resumed.body());
            JsonNode completed = server.awaitStatus(training, "completed", TRAINING);
            assertEquals(epochs, completed.path("epoch").asInt());
            assertEquals(upTo(epochs), server.metricEpochs(training), "every epoch exactly once, in order");
            assertTrue(Files.exists(data.resolve("runs").resolve(training).resolve("weights.safetensors")));
            server.assertNoStackTrace();
        }
    }
}
