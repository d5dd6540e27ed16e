package org.neuralgrid.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neuralgrid.ops.ServerProcess.JSON;
import static org.neuralgrid.ops.ServerProcess.syntheticRun;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.neuralgrid.io.HeatmapFrame;

/**
 * Files of a run damaged on disk (a full disk, a crash of the machine, a hand that tidied up) make the requests
 * that need them answer an error with a JSON message; everything else keeps working and the server stays up.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DamagedRunFilesTest {
    private static final Duration TRAINING = Duration.ofMinutes(4);

    @TempDir
    Path temp;

    @Test
    void aHeatmapFileCutShortIsAnErrorAnswerAndEverythingElseStillServes() throws Exception {
        Path data = temp.resolve("data");
        try (ServerProcess server = ServerProcess.serve(data, temp.resolve("logs"))) {
            String damaged = server.createRun(syntheticRun(2, 0));
            String intact = server.createRun(syntheticRun(2, 0));
            server.awaitStatus(damaged, "completed", TRAINING);
            server.awaitStatus(intact, "completed", TRAINING);
            Path frame = data.resolve("runs").resolve(damaged).resolve("heatmaps").resolve("epoch-00001.ngh");
            long size = Files.size(frame);
            try (FileChannel f = FileChannel.open(frame, StandardOpenOption.WRITE)) {
                f.truncate(size / 2);
            }

            HttpResponse<String> cut = server.get("/api/runs/" + damaged + "/heatmaps/1");
            assertTrue(cut.statusCode() >= 400, "a frame of " + size / 2 + " of " + size + " bytes is an error, "
                    + "not " + cut.statusCode());
            assertTrue(cut.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                    cut.headers().map().toString());
            JsonNode error = JSON.readTree(cut.body());
            assertFalse(error.path("error").asText().isBlank(), "a message: " + cut.body());

            assertFrame(server, damaged, 0);
            assertFrame(server, damaged, 2);
            assertFrame(server, intact, 1);
            assertTrue(server.healthy(), "the server is up\n" + server.output());
            assertEquals("completed", server.run(damaged).path("status").asText());
            assertEquals(200, server.getBytes("/api/runs/" + damaged + "/weights").statusCode());
        }
    }

    @Test
    void resumingAnInterruptedRunWhoseCheckpointIsMissingIs409() throws Exception {
        Path data = temp.resolve("data");
        String id;
        try (ServerProcess server = ServerProcess.serve(data, temp.resolve("logs"))) {
            id = server.createRun(syntheticRun(50, 1));
            server.awaitRun(id, "a finished epoch", r -> r.path("epoch").asInt() >= 1, TRAINING);
            server.kill9();
        }
        Path run = data.resolve("runs").resolve(id);
        Files.deleteIfExists(run.resolve("checkpoint.safetensors"));
        Files.deleteIfExists(run.resolve("checkpoint-best.safetensors"));

        try (ServerProcess server = ServerProcess.serve(data, temp.resolve("logs"))) {
            assertEquals("interrupted", server.run(id).path("status").asText());
            HttpResponse<String> resume = server.post("/api/runs/" + id + "/resume", "");
            assertEquals(409, resume.statusCode(), resume.body());
            String message = JSON.readTree(resume.body()).path("error").asText();
            assertTrue(message.contains("checkpoint"), "the message says why: " + resume.body());
            assertTrue(server.healthy(), "the server is up\n" + server.output());
            assertEquals("interrupted", server.run(id).path("status").asText(), "the run is left as it was");
            String next = server.createRun(ServerProcess.tinyRun());
            server.awaitStatus(next, "completed", TRAINING);
            server.assertNoStackTrace();
        }
    }

    private static void assertFrame(ServerProcess server, String id, int epoch) throws Exception {
        HttpResponse<byte[]> r = server.getBytes("/api/runs/" + id + "/heatmaps/" + epoch);
        assertEquals(200, r.statusCode(), "run " + id + " epoch " + epoch + ": " + new String(r.body()));
        assertEquals(epoch, HeatmapFrame.decode(r.body()).epoch());
    }
}
