package org.neuralgrid.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neuralgrid.cli.CommandLineTest.Result;
import org.neuralgrid.engine.EpochMetrics;
import org.neuralgrid.engine.MetricsCsv;
import org.neuralgrid.engine.SweepCsv;

/**
 * {@code neuralgrid sweep}: a run folder per point and seed as train writes it, summaries that match the folders,
 * a dry run that trains nothing, refusals with one line and exit code 2, and --resume that completes what is
 * missing and keeps what is finished.
 */
class SweepCommandTest {
    static final List<String> SMALL = List.of("--dataset", "synthetic", "--test-samples", "64", "--grid", "8x4",
            "--batch", "64");
    /** The brief's tiny sweep: 256 synthetic images, 2 epochs. */
    static final List<String> TINY = Stream.concat(SMALL.stream(), Stream.of("--samples", "256", "--epochs", "2"))
            .toList();
    static final List<String> RUNS = List.of("kernel=3-seed42", "kernel=3-seed43", "kernel=5-seed42",
            "kernel=5-seed43");

    static Result sweep(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("sweep"));
        args.addAll(TINY);
        args.addAll(List.of(more));
        args.addAll(List.of("--out", out.toString()));
        return CommandLineTest.run(args.toArray(String[]::new));
    }

    static List<String[]> rows(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().map(l -> l.split(",", -1)).toList();
    }

    @Test
    void aSweepWritesARunFolderPerRunAndSummariesThatMatchThem(@TempDir Path dir) throws Exception {
        Result r = sweep(dir, "--kernel", "3,5", "--seeds", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 points x 2 seeds = 4 runs (grid)"), r.out());
        for (String run : RUNS) {
            Path folder = dir.resolve(run);
            for (String f : new String[] {"config.json", "weights.safetensors", "checkpoint.safetensors", "metrics.csv",
                "heatmaps/epoch-00002.ngh"}) {
                assertTrue(Files.size(folder.resolve(f)) > 0, run + "/" + f);
            }
            JsonNode config = new ObjectMapper().readTree(folder.resolve("config.json").toFile());
            assertEquals(run.contains("kernel=3") ? 3 : 5, config.get("kernel").asInt());
            assertEquals(run.endsWith("42") ? 42 : 43, config.get("seed").asInt());
            assertEquals(8, config.get("height").asInt());
        }
        assertEquals(1, new ObjectMapper().readTree(dir.resolve("sweep.json").toFile()).get("sweep").size());

        List<String[]> runs = rows(dir.resolve("sweep.csv"));
        assertEquals("run,kernel,seed,best_epoch,best_test_accuracy,final_test_accuracy,seconds", String.join(",",
                runs.get(0)));
        assertEquals(5, runs.size());
        Map<String, double[]> bestAndFinal = new LinkedHashMap<>();
        for (int i = 0; i < RUNS.size(); i++) {
            String[] row = runs.get(i + 1);
            List<EpochMetrics> epochs = MetricsCsv.read(dir.resolve(RUNS.get(i)).resolve("metrics.csv"));
            EpochMetrics best = epochs.stream().reduce((a, b) -> b.testAccuracy() > a.testAccuracy() ? b : a)
                    .orElseThrow();
            assertEquals(RUNS.get(i), row[0]);
            assertEquals(String.valueOf(best.epoch()), row[3]);
            assertEquals(best.testAccuracy(), Double.parseDouble(row[4]));
            assertEquals(epochs.get(1).testAccuracy(), Double.parseDouble(row[5]));
            assertEquals(epochs.get(0).seconds() + epochs.get(1).seconds(), Double.parseDouble(row[6]), 1e-9);
            bestAndFinal.put(RUNS.get(i), new double[] {best.testAccuracy(), epochs.get(1).testAccuracy()});
        }

        List<String[]> points = rows(dir.resolve("points.csv"));
        assertEquals("kernel,runs,best_test_accuracy_mean,best_test_accuracy_std,final_test_accuracy_mean,"
                + "final_test_accuracy_std,seconds_mean", String.join(",", points.get(0)));
        assertEquals(3, points.size());
        for (int p = 0; p < 2; p++) {
            String[] row = points.get(p + 1);
            double[] a = bestAndFinal.get(RUNS.get(2 * p)), b = bestAndFinal.get(RUNS.get(2 * p + 1));
            assertEquals(p == 0 ? "3" : "5", row[0]);
            assertEquals("2", row[1]);
            assertEquals((a[0] + b[0]) / 2, Double.parseDouble(row[2]), 1e-12);
            assertEquals(Math.abs(a[0] - b[0]) / Math.sqrt(2), Double.parseDouble(row[3]), 1e-12, "sample std");
            assertEquals((a[1] + b[1]) / 2, Double.parseDouble(row[4]), 1e-12);
            assertEquals(Math.abs(a[1] - b[1]) / Math.sqrt(2), Double.parseDouble(row[5]), 1e-12);
        }
        assertTrue(r.out().contains("best point: kernel="), r.out());
    }

    @Test
    void aValidationSetAddsItsColumnAndChoosesTheBestEpoch(@TempDir Path dir) throws Exception {
        List<String> args = new ArrayList<>(List.of("sweep"));
        args.addAll(SMALL);
        args.addAll(List.of("--gain", "0.5,1", "--validation", "64", "--samples", "320", "--epochs", "3", "--out",
                dir.toString()));
        Result r = CommandLineTest.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        List<String[]> runs = rows(dir.resolve("sweep.csv"));
        assertEquals("run,gain,seed,best_epoch,best_test_accuracy,best_validation_accuracy,final_test_accuracy,"
                + "seconds", String.join(",", runs.get(0)));
        List<EpochMetrics> epochs = MetricsCsv.read(dir.resolve("gain=0.5-seed42/metrics.csv"));
        EpochMetrics best = epochs.stream().reduce((a, b) -> b.validationAccuracy() > a.validationAccuracy() ? b : a)
                .orElseThrow();
        assertEquals(List.of("gain=0.5-seed42", "0.5", "42", String.valueOf(best.epoch()),
                String.valueOf(best.testAccuracy()), String.valueOf(best.validationAccuracy())),
                Arrays.asList(runs.get(1)).subList(0, 6));
    }

    @Test
    void aDryRunPrintsThePointsAndTrainsNothing(@TempDir Path dir) {
        Path out = dir.resolve("sweep");
        Result r = sweep(out, "--kernel", "3,5", "--gain", "0.5,1,1.41", "--seeds", "2", "--dry-run");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("6 points x 2 seeds = 12 runs (grid)"), r.out());
        assertTrue(r.out().contains("  kernel=5, gain=1.41"), r.out());
        assertFalse(Files.exists(out), "nothing written");

        Result random = sweep(out, "--lr", "1e-4..1e-2", "--kernel", "3,5", "--random", "5", "--dry-run");
        assertEquals(0, random.code(), random.err());
        assertTrue(random.out().contains("5 points x 1 seeds = 5 runs (random)"), random.out());
        assertEquals(5, random.out().lines().filter(l -> l.startsWith("  kernel=")).count(), random.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--kernel 3,4", "--kernel 3,three", "--seed 1,2", "--lr 1e-4..1e-2",
        "--height 4 --kernel 3,9", "--kernel 3,5 --seeds 0", "--kernel 3,5 --random 0", "--activation sin,swish", "--validation 250 --kernel 3,5",
        "--lr 1e-4..1e-2 --random 2000"})
    void anInvalidSweepEndsWithOneLineOnStderrAndExitCode2(String options, @TempDir Path dir) {
        Result r = sweep(dir.resolve("sweep"), options.split(" "));
        assertEquals(2, r.code(), r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.startsWith("neuralgrid: invalid "), err);
        assertFalse(Files.exists(dir.resolve("sweep")), "nothing written");
    }

    @Test
    void theOutFolderIsRequiredNewOrEmptyAndResumeTakesNoOtherSweep(@TempDir Path dir) throws Exception {
        Result noOut = CommandLineTest.run("sweep", "--kernel", "3,5");
        assertEquals(2, noOut.code());
        assertTrue(noOut.err().contains("--out DIR is required"), noOut.err());

        Files.writeString(dir.resolve("notes.txt"), "mine");
        Result notEmpty = sweep(dir, "--kernel", "3,5");
        assertEquals(2, notEmpty.code());
        assertTrue(notEmpty.err().contains("is not empty"), notEmpty.err());

        Result noSweep = CommandLineTest.run("sweep", "--resume", dir.toString());
        assertEquals(2, noSweep.code());
        assertTrue(noSweep.err().contains("there is no sweep.json"), noSweep.err());

        Result other = CommandLineTest.run("sweep", "--resume", dir.toString(), "--kernel", "3,7");
        assertEquals(2, other.code());
        assertTrue(other.err().contains("leave out --kernel"), other.err());
    }

    @Test
    void resumeCompletesWhatIsMissingAndKeepsFinishedRunsBitForBit(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("sweep");
        assertEquals(0, sweep(out, "--kernel", "3,5", "--seeds", "2").code());
        Map<String, byte[]> weights = new LinkedHashMap<>();
        Map<String, Long> written = new LinkedHashMap<>();
        for (String run : RUNS) {
            weights.put(run, Files.readAllBytes(out.resolve(run).resolve("weights.safetensors")));
            written.put(run, Files.getLastModifiedTime(out.resolve(run).resolve("weights.safetensors")).toMillis());
        }
        List<String> summary = Files.readAllLines(out.resolve("sweep.csv"));

        // cut short in run 3: its folder holds the checkpoint after epoch 1 of 2, run 4 never started, and
        // sweep.csv lists runs 1 and 2 only
        Files.write(out.resolve("sweep.csv"), summary.subList(0, 3));
        deleteFolder(out.resolve(RUNS.get(2)));
        deleteFolder(out.resolve(RUNS.get(3)));
        List<String> firstEpoch = new ArrayList<>(List.of("train"));
        firstEpoch.addAll(SMALL);
        firstEpoch.addAll(List.of("--samples", "256", "--epochs", "1", "--kernel", "5", "--seed", "42", "--out",
                out.resolve(RUNS.get(2)).toString()));
        assertEquals(0, CommandLineTest.run(firstEpoch.toArray(String[]::new)).code());

        Result resumed = CommandLineTest.run("sweep", "--resume", out.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(2, resumed.out().lines().filter(l -> l.endsWith("(finished: kept)")).count(), resumed.out());
        assertTrue(resumed.out().contains("resuming " + out.resolve(RUNS.get(2)) + " after epoch 1"), resumed.out());
        for (String run : RUNS) {
            assertArrayEquals(weights.get(run), Files.readAllBytes(out.resolve(run).resolve("weights.safetensors")),
                    run + ": the same weights as the sweep that was not stopped");
        }
        for (String run : RUNS.subList(0, 2)) {
            assertEquals(written.get(run), Files.getLastModifiedTime(out.resolve(run).resolve("weights.safetensors"))
                    .toMillis(), run + " untouched");
        }
        List<String> after = Files.readAllLines(out.resolve("sweep.csv"));
        assertEquals(summary.subList(0, 3), after.subList(0, 3), "the finished runs' rows stay");
        assertEquals(5, after.size());
        assertEquals(3, Files.readAllLines(out.resolve("points.csv")).size());

        // a run folder deleted later is trained again, the rest kept
        deleteFolder(out.resolve(RUNS.get(1)));
        Result again = CommandLineTest.run("sweep", "--resume", out.toString());
        assertEquals(0, again.code(), again.err());
        assertEquals(3, again.out().lines().filter(l -> l.endsWith("(finished: kept)")).count(), again.out());
        assertArrayEquals(weights.get(RUNS.get(1)), Files.readAllBytes(out.resolve(RUNS.get(1))
                .resolve("weights.safetensors")));
        assertEquals(5, Files.readAllLines(out.resolve("sweep.csv")).size());
    }

    @Test
    void aFolderThatHoldsASweepIsContinuedNotOverwritten(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("sweep");
        Files.createDirectories(out);
        Files.writeString(out.resolve("sweep.json"), "{}");
        Result r = sweep(out, "--kernel", "3,5");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("already holds a sweep: continue it with --resume"), r.err());
    }

    private static void deleteFolder(Path folder) throws IOException {
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void theSummaryCsvListsTheFinishedRuns(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("sweep.csv"), "run,kernel,seed\nkernel=3-seed42,3,42\nkernel=5-seed42,5,42\n");
        assertEquals(List.of("kernel=3-seed42", "kernel=5-seed42"),
                List.copyOf(SweepCsv.finishedRuns(dir.resolve("sweep.csv"))));
        assertTrue(SweepCsv.finishedRuns(dir.resolve("none.csv")).isEmpty());
    }
}
