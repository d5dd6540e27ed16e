package org.neuralgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command line: bad options end with one line on stderr and exit code 2; train and bench do their work. */
class CommandLineTest {

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out, oldErr = System.err;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(System.out, true));
            cli.setErr(new PrintWriter(System.err, true));
            int code = cli.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--kernel 4", "--kernel 1", "--grid 0x5", "--grid 64x", "--lr NaN", "--lr -0.1",
        "--activation swish", "--backend cuda", "--batch 0", "--epochs -3", "--grid 4096x4096 --batch 8192",
        "--kernel three"})
    void invalidTrainOptionsEndWithOneLineOnStderrAndExitCode2(String options) {
        String[] args = ("train --dataset synthetic --samples 100 --test-samples 10 " + options).split(" ");
        Result r = run(args);
        assertEquals(2, r.code(), r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.startsWith("neuralgrid: "), err);
    }

    @Test
    void optionsWithoutACommandGoToServe() {
        org.junit.jupiter.api.Assertions.assertArrayEquals(new String[] {"serve"}, Main.withDefaultCommand(new String[0]));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new String[] {"serve", "--port", "9000"},
                Main.withDefaultCommand(new String[] {"--port", "9000"}));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new String[] {"--help"},
                Main.withDefaultCommand(new String[] {"--help"}));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new String[] {"train", "--epochs", "1"},
                Main.withDefaultCommand(new String[] {"train", "--epochs", "1"}));
    }

    @Test
    void theInvalidConfigurationMessageNamesTheField() {
        Result r = run("train", "--dataset", "synthetic", "--kernel", "4");
        assertTrue(r.err().contains("kernel: must be odd"), r.err());
    }

    @Test
    void trainWritesConfigWeightsCheckpointAndMetrics(@TempDir Path dir) throws Exception {
        Result r = run("train", "--dataset", "synthetic", "--samples", "256", "--test-samples", "64", "--grid",
                "8x4", "--batch", "64", "--epochs", "2", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(2, r.out().lines().filter(l -> l.startsWith("epoch")).count(), r.out());
        for (String f : new String[] {"config.json", "weights.safetensors", "checkpoint.safetensors", "metrics.csv"}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        assertEquals(3, Files.readAllLines(dir.resolve("metrics.csv")).size());

        Result resumed = run("train", "--resume", dir.toString(), "--epochs", "3");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("after epoch 2"), resumed.out());
        assertTrue(resumed.out().contains("epoch    3"), resumed.out());

        Result eval = run("eval", dir.toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().startsWith("test loss"), eval.out());
    }

    @Test
    void trainKeepsTheBestEpochsWeightsAndEvalTakesEither(@TempDir Path dir) throws Exception {
        Result r = run("train", "--dataset", "synthetic", "--samples", "320", "--test-samples", "64", "--grid", "8x4",
                "--batch", "64", "--epochs", "3", "--validation", "64", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("best: " + dir.resolve("best.safetensors")), r.out());
        java.util.List<String> rows = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals(1, rows.stream().skip(1).filter(l -> l.endsWith(",1")).count(), "one best epoch: " + rows);
        String bestEpoch = rows.stream().skip(1).filter(l -> l.endsWith(",1")).findFirst().orElseThrow().split(",")[0];

        Result best = run("eval", dir.toString(), "--which", "best");
        assertEquals(0, best.code(), best.err());
        assertTrue(best.out().contains("best weights, epoch " + bestEpoch), best.out());
        Result last = run("eval", dir.toString());
        assertTrue(last.out().contains("final weights, epoch 3"), last.out());
        assertEquals(2, run("eval", dir.toString(), "--which", "worst").code());
    }

    @Test
    void aRecipeFillsTheFieldsAndTheOptionsGivenOverrideIt(@TempDir Path dir) throws Exception {
        Result r = run("train", "--recipe", "quick-look", "--epochs", "1", "--grid", "8x4", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode config = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        assertEquals("synthetic", config.get("dataset").asText(), "from the recipe");
        assertEquals(2048, config.get("samples").asInt(), "from the recipe");
        assertEquals(0.001, config.get("lr").asDouble(), "from the recipe");
        assertEquals(1, config.get("epochs").asInt(), "given");
        assertEquals(8, config.get("height").asInt(), "given");
        assertEquals(2, run("train", "--recipe", "slow").code());
    }

    @Test
    void benchEndsWithOneJsonLine() throws Exception {
        Result r = run("bench", "--backend", "java", "--grid", "8x4", "--batch", "32", "--samples", "320",
                "--test-samples", "32", "--epochs", "2");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertEquals("java", json.get("backend").asText());
        assertEquals("8x4", json.get("grid").asText());
        assertEquals(32, json.get("batch").asInt());
        assertEquals(320, json.get("samples").asInt());
        assertEquals(2, json.get("epochs").asInt());
        assertTrue(json.get("seconds_per_epoch").asDouble() > 0);
        assertTrue(json.has("device"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "worker --cluster-host 127.0.0.1",
        "worker --cluster --cluster-token a-long-enough-token",
        "worker --cluster --cluster-host localhost --cluster-token a-long-enough-token",
        "worker --cluster --cluster-host 127.0.0.1 --cluster-token short",
        "worker --cluster --cluster-host 127.0.0.1 --cluster-token a-long-enough-token --cluster-members nohost",
        "worker --cluster --cluster-host 127.0.0.1 --cluster-token a-long-enough-token --cluster-join-wait 0",
        "serve --cluster-host 127.0.0.1",
        "serve --cluster --cluster-host 0.0.0.0 --cluster-token a-long-enough-token"})
    void badClusterOptionsEndWithOneLineAndExitCode2BeforeAnythingStarts(String args) {
        runsWithOneLineAndCode2(args);
    }

    @Test
    void aTakenClusterPortIsSaidInOneLineBeforeHazelcastStarts() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            String err = runsWithOneLineAndCode2("worker --cluster --cluster-host 127.0.0.1 --cluster-port "
                    + taken.getLocalPort() + " --cluster-token a-long-enough-token");
            assertTrue(err.contains("--cluster-port " + taken.getLocalPort() + " free?"), err);
        }
    }

    private static String runsWithOneLineAndCode2(String args) {
        Result r = run(args.split(" "));
        assertEquals(2, r.code(), r.out() + r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.startsWith("neuralgrid: ") && err.contains("cluster"), err);
        return err;
    }
}
