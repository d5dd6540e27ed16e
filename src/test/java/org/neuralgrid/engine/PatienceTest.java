package org.neuralgrid.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.FetchProgress;
import org.neuralgrid.data.TrainingData;
import org.neuralgrid.engine.catalog.BackendCatalog;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.ModelLayout;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.Tensor;

/**
 * Early stopping: with patience P a run ends after the first epoch that is P epochs past the best one, says why,
 * and leaves its final checkpoint and weights of that epoch and the best epoch's weights; patience 0 never stops
 * early. The runs learn for two epochs and then all but stand still (the rate falls by 10⁻⁹ after epoch 2), so
 * the validation accuracy repeats itself exactly and the best epoch stays where it was.
 */
class PatienceTest {
    static final int EPOCHS = 10;

    static RunConfig config(int patience, int epochs) {
        return ConfigBuilder.grid(16, 4).batch(32).lr(2e-3).lrSteps(2, 1e-9).epochs(epochs).seed(4)
                .samples(900, 200).set("validation", 200).set("patience", patience).build();
    }

    record Run(Trainer.Result result, RunRecorder recorder, Parameters last) {
    }

    static Run train(RunConfig c, Path dir) throws Exception {
        DataSplit data = TrainingData.load(c, dir, FetchProgress.SILENT);
        RunFiles files = new RunFiles(dir, c);
        try (Backend b = BackendCatalog.standard().open(c)) {
            b.upload(data);
            RunRecorder rec = new RunRecorder(b, files);
            Trainer.Result result = new Trainer(c, b, data, rec, rec).train(1, BestEpoch.NONE, () -> false);
            return new Run(result, rec, b.parameters());
        }
    }

    /** The first epoch that is {@code patience} epochs past the best epoch as of then, or 0. */
    static int firstEpochPatiencePastTheBest(List<EpochMetrics> epochs, int patience) {
        for (int e = 1; e <= epochs.size(); e++) {
            int best = RunRecorder.argmax(epochs.subList(0, e), EpochMetrics::validationAccuracy);
            if (e - best >= patience) {
                return e;
            }
        }
        return 0;
    }

    @ParameterizedTest(name = "patience {0}")
    @ValueSource(ints = {1, 2, 4})
    void aRunStopsAfterTheFirstEpochPatienceEpochsPastTheBest(int patience, @TempDir Path dir) throws Exception {
        // the same run without patience: when would it have stopped?
        Run full = train(config(0, EPOCHS), dir.resolve("full"));
        int stop = firstEpochPatiencePastTheBest(full.recorder().epochs, patience);
        int best = RunRecorder.argmax(full.recorder().epochs.subList(0, stop), EpochMetrics::validationAccuracy);
        assertTrue(stop > 0 && stop < EPOCHS, "the setup must stand still before the end, stop " + stop + ": "
                + full.recorder().epochs);
        assertEquals(best + patience, stop);

        Path dir2 = dir.resolve("patient");
        Run run = train(config(patience, EPOCHS), dir2);
        List<EpochMetrics> epochs = run.recorder().epochs;
        assertEquals(stop, epochs.size(), "epochs trained: " + epochs);
        assertEquals(stop, run.result().last().epoch());
        assertEquals(best, run.result().best().epoch());
        for (int e = 0; e < stop; e++) {
            assertEquals(full.recorder().epochs.get(e).validationAccuracy(), epochs.get(e).validationAccuracy(),
                    "patience changes nothing before the stop: epoch " + (e + 1));
        }

        String why = run.result().stopped();
        assertTrue(why != null, "Result.stopped says why");
        assertTrue(why.contains("epoch " + stop), why);
        assertTrue(why.contains("epoch " + best), "it names the best epoch: " + why);
        assertTrue(why.contains("patience " + patience), "it names the patience: " + why);
        assertTrue(why.contains("validation"), "it names what chose the best: " + why);

        // the final checkpoint and weights are the stopping epoch's, written as the last
        int[] lastSave = run.recorder().saved.get(run.recorder().saved.size() - 1);
        assertArrayEquals(new int[] {stop, 1}, lastSave, "the last checkpoint: epoch " + lastSave[0] + ", last "
                + lastSave[1]);
        assertEquals(1, run.recorder().saved.stream().filter(s -> s[1] == 1).count(), "one last checkpoint");
        RunConfig c = config(patience, EPOCHS);
        RunFiles files = new RunFiles(dir2, c);
        RunFiles.Checkpoint cp = files.readCheckpoint(ModelLayout.zeros(c));
        assertEquals(stop, cp.epoch());
        assertEquals(best, cp.best().epoch());
        assertEquals(stop, RunFiles.epochOf(files.weights()));
        assertSameParameters(run.last(), RunFiles.readWeights(files.weights(), run.last()), "weights.safetensors");
        assertSameParameters(run.last(), cp.parameters(), "the checkpoint");

        // best.safetensors: the best epoch's parameters
        Path bestFile = dir2.resolve(RunFiles.BEST);
        assertEquals(best, RunFiles.epochOf(bestFile));
        assertSameParameters(run.recorder().parameters.get(best), RunFiles.readWeights(bestFile, run.last()),
                "best.safetensors");
    }

    @Test
    void patienceZeroNeverStopsEarly(@TempDir Path dir) throws Exception {
        Run run = train(config(0, EPOCHS), dir);
        assertEquals(EPOCHS, run.recorder().epochs.size());
        assertNull(run.result().stopped());
        int best = run.result().best().epoch();
        assertTrue(EPOCHS - best >= 3, "the run stood still for epochs, yet went on: best " + best);
        assertEquals(EPOCHS, new RunFiles(dir, config(0, EPOCHS)).readCheckpoint(ModelLayout.zeros(config(0, EPOCHS)))
                .epoch());
    }

    @Test
    void reachingThePatienceAtTheLastEpochIsNoEarlyStop(@TempDir Path dir) throws Exception {
        Run full = train(config(0, EPOCHS), dir.resolve("full"));
        int stop = firstEpochPatiencePastTheBest(full.recorder().epochs, 2);
        Run run = train(config(2, stop), dir.resolve("short"));
        assertEquals(stop, run.recorder().epochs.size());
        assertNull(run.result().stopped(), "the run ended at its last epoch, not for want of patience");
        assertArrayEquals(new int[] {stop, 1}, run.recorder().saved.get(run.recorder().saved.size() - 1));
    }

    @Test
    void aPatienceLongerThanTheStandstillDoesNotStop(@TempDir Path dir) throws Exception {
        Run full = train(config(0, EPOCHS), dir.resolve("full"));
        int best = full.result().best().epoch();
        int patience = EPOCHS - best + 1;
        Run run = train(config(patience, EPOCHS), dir.resolve("patient"));
        assertEquals(EPOCHS, run.recorder().epochs.size());
        assertNull(run.result().stopped());
    }

    static void assertSameParameters(Parameters expected, Parameters actual, String what) {
        for (Tensor t : expected.tensors()) {
            assertArrayEquals(t.data(), actual.data(t.name()), what + ": " + t.name());
        }
    }
}
