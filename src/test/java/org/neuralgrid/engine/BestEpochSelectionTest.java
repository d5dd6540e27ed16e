package org.neuralgrid.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.data.SyntheticData;
import org.neuralgrid.engine.catalog.BackendCatalog;
import org.neuralgrid.io.SafeTensors;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.ModelLayout;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.Tensor;

/**
 * The best epoch: with a validation set, the epoch of the strictly highest validation accuracy, chosen without
 * ever looking at the test set; without one, the epoch of the highest test accuracy (the 2021 write-up's rule).
 * best.safetensors holds that epoch's parameters. To show which set chose, the test labels are seeded garbage, so
 * test accuracy is noise whose best epoch is another one.
 */
class BestEpochSelectionTest {
    static final int EPOCHS = 7;

    static RunConfig config(int validation) {
        return ConfigBuilder.grid(16, 4).batch(32).lr(1e-3).epochs(EPOCHS).seed(5).samples(1300, 300)
                .set("validation", validation).build();
    }

    /** The run's data (validation held out as TrainingData does) with random test labels drawn from labelSeed. */
    static DataSplit garbageTestLabels(RunConfig c, long labelSeed) {
        DataSplit d = SyntheticData.generate(c.samples(), c.testSamples(), c.seed()).holdOut(c.validation(), c.seed());
        Dataset t = d.test();
        byte[] labels = new byte[t.count()];
        SplittableRandom rng = new SplittableRandom(labelSeed);
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) rng.nextInt(Dataset.CLASSES);
        }
        return new DataSplit(d.train(), d.validation(), new Dataset(t.name(), t.count(), t.rows(), t.cols(),
                t.pixels(), labels));
    }

    record Run(Trainer.Result result, RunRecorder recorder) {
    }

    static Run train(RunConfig c, DataSplit data, Path dir) throws Exception {
        RunFiles files = new RunFiles(dir, c);
        files.writeConfig();
        try (Backend b = BackendCatalog.standard().open(c)) {
            b.upload(data);
            RunRecorder rec = new RunRecorder(b, files);
            Trainer.Result result = new Trainer(c, b, data, rec, rec).train(1, BestEpoch.NONE, () -> false);
            return new Run(result, rec);
        }
    }

    @Test
    void withAValidationSetTheBestEpochIsTheArgmaxOfValidationAccuracy(@TempDir Path dir) throws Exception {
        RunConfig c = config(300);
        Run run = train(c, garbageTestLabels(c, 1), dir);
        List<EpochMetrics> epochs = run.recorder().epochs;
        assertEquals(EPOCHS, epochs.size());
        int byValidation = RunRecorder.argmax(epochs, EpochMetrics::validationAccuracy);
        int byTest = RunRecorder.argmax(epochs, EpochMetrics::testAccuracy);
        // the setup: validation accuracy is learned, test accuracy noise with its best epoch elsewhere
        assertTrue(epochs.get(EPOCHS - 1).validationAccuracy() > 0.5, "it learns: " + epochs);
        assertTrue(epochs.stream().allMatch(m -> m.testAccuracy() < 0.3), "test accuracy is noise: " + epochs);
        assertNotEquals(byValidation, byTest, "the test set's best epoch must differ, or this test shows nothing");

        BestEpoch best = run.result().best();
        assertEquals(byValidation, best.epoch(), "the best epoch is the validation argmax: " + epochs);
        assertEquals(epochs.get(byValidation - 1).validationAccuracy(), best.accuracy());
        assertEquals(best, run.recorder().reportedBest.get(EPOCHS - 1));
        assertBestWeightsAreThoseOf(best, run.recorder(), c, dir, "validation");
    }

    @Test
    void theBestEpochIsReportedAndSavedAsItImprovesEpochByEpoch(@TempDir Path dir) throws Exception {
        RunConfig c = config(300);
        Run run = train(c, garbageTestLabels(c, 1), dir);
        List<EpochMetrics> epochs = run.recorder().epochs;
        List<Integer> improved = new ArrayList<>();
        for (int e = 1; e <= EPOCHS; e++) {
            int soFar = RunRecorder.argmax(epochs.subList(0, e), EpochMetrics::validationAccuracy);
            assertEquals(soFar, run.recorder().reportedBest.get(e - 1).epoch(), "the best reported after epoch " + e);
            if (soFar == e) {
                improved.add(e);
            }
        }
        assertEquals(improved, run.recorder().bestSaved, "best.safetensors is written when, and only when, the best"
                + " epoch changes");
    }

    @Test
    void theTestLabelsDoNotChangeWhichEpochIsBestNorItsWeights(@TempDir Path dir) throws Exception {
        RunConfig c = config(300);
        Run a = train(c, garbageTestLabels(c, 1), dir.resolve("a"));
        Run b = train(c, garbageTestLabels(c, 2), dir.resolve("b"));
        assertNotEquals(RunRecorder.argmax(a.recorder().epochs, EpochMetrics::testAccuracy),
                RunRecorder.argmax(b.recorder().epochs, EpochMetrics::testAccuracy),
                "the two test labellings must have other best epochs, or this test shows nothing");
        assertEquals(a.result().best(), b.result().best());
        assertEquals(a.recorder().bestSaved, b.recorder().bestSaved);
        assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(RunFiles.BEST)),
                Files.readAllBytes(dir.resolve("b").resolve(RunFiles.BEST)));
    }

    @Test
    void withoutAValidationSetTheBestEpochIsTheArgmaxOfTestAccuracy(@TempDir Path dir) throws Exception {
        RunConfig c = config(0);
        DataSplit data = garbageTestLabels(c, 3);
        assertEquals(0, data.validation().count());
        Run run = train(c, data, dir);
        List<EpochMetrics> epochs = run.recorder().epochs;
        assertTrue(epochs.stream().allMatch(m -> Double.isNaN(m.validationAccuracy())), "no validation metrics");
        int byTest = RunRecorder.argmax(epochs, EpochMetrics::testAccuracy);
        assertNotEquals(EPOCHS, byTest, "the noisy test accuracy must peak before the last epoch, or this test shows"
                + " little");
        BestEpoch best = run.result().best();
        assertEquals(byTest, best.epoch(), "the best epoch is the test argmax: " + epochs);
        assertEquals(epochs.get(byTest - 1).testAccuracy(), best.accuracy());
        assertBestWeightsAreThoseOf(best, run.recorder(), c, dir, "test");
    }

    /** best.safetensors: the parameters the backend held right after the best epoch, with its epoch and accuracy. */
    static void assertBestWeightsAreThoseOf(BestEpoch best, RunRecorder rec, RunConfig c, Path dir, String selectedBy)
            throws Exception {
        Path file = dir.resolve(RunFiles.BEST);
        Parameters saved = RunFiles.readWeights(file, ModelLayout.zeros(c));
        Parameters expected = rec.parameters.get(best.epoch());
        for (Tensor t : expected.tensors()) {
            assertArrayEquals(t.data(), saved.data(t.name()), t.name() + " of epoch " + best.epoch());
        }
        Parameters last = rec.parameters.get(EPOCHS);
        if (best.epoch() != EPOCHS) {
            assertTrue(!Arrays.equals(last.data(Parameters.OUT_BIAS), saved.data(Parameters.OUT_BIAS)),
                    "the best weights are not the final ones");
        }
        assertEquals(best.epoch(), RunFiles.epochOf(file));
        Map<String, String> meta = SafeTensors.read(file).metadata();
        assertEquals(Integer.toString(best.epoch()), meta.get("best_epoch"));
        assertEquals(best.accuracy(), Double.parseDouble(meta.get("best_accuracy")));
        assertEquals(selectedBy, meta.get("selected_by"));
        assertEquals(EPOCHS, RunFiles.epochOf(dir.resolve(RunFiles.WEIGHTS)), "the final weights are the last epoch's");
    }

    // ---- the rule itself

    static EpochMetrics epoch(int e, double validationAccuracy, double testAccuracy) {
        return new EpochMetrics(e, 1, 0.5, 1, validationAccuracy, 1, testAccuracy, 1e-3, 1, 1);
    }

    @Test
    void theRuleIsAStrictlyHigherSelectionAccuracySoTiesKeepTheEarlierEpoch() {
        List<EpochMetrics> run = List.of(epoch(1, 0.50, 0.90), epoch(2, 0.70, 0.10), epoch(3, 0.70, 0.95),
                epoch(4, 0.60, 0.95), epoch(5, 0.70, 0.20));
        assertEquals(new BestEpoch(2, 0.70), BestEpoch.of(run, true));
        assertEquals(new BestEpoch(3, 0.95), BestEpoch.of(run, false));
        assertEquals(BestEpoch.NONE, BestEpoch.of(List.of(), true));
        assertTrue(BestEpoch.NONE.isNone());
        // the first epoch is better than none, even at 0 %
        assertEquals(new BestEpoch(1, 0.0), BestEpoch.NONE.after(epoch(1, 0.0, 0.0), true));
        assertEquals("validation", BestEpoch.selectedBy(true));
        assertEquals("test", BestEpoch.selectedBy(false));
    }

    @Test
    void aResumedRunKeepsTheBestFromBeforeItsFirstEpoch() {
        BestEpoch before = new BestEpoch(3, 0.8);
        assertEquals(before, before.after(epoch(4, 0.8, 1.0), true), "a tie does not replace it");
        assertEquals(new BestEpoch(5, 0.81), before.after(epoch(5, 0.81, 0.0), true));
    }
}
