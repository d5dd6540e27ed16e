package org.neuralgrid.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.FetchProgress;
import org.neuralgrid.data.TrainingData;
import org.neuralgrid.engine.catalog.BackendCatalog;
import org.neuralgrid.io.SafeTensors;
import org.neuralgrid.io.SafeTensorsFile;
import org.neuralgrid.model.Augment;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.ModelLayout;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.Schedule;
import org.neuralgrid.model.Tensor;

/**
 * A run stopped after a best epoch newer than its last checkpoint and resumed the way the CLI resumes it (read the
 * checkpoint, put back its best weights, train on from the epoch after it with its best epoch) ends as the straight
 * run does: the same best epoch, the same best.safetensors, the same final weights and heatmap frames.
 */
class ResumeBestTest {
    static final int EPOCHS = 9;

    static RunConfig config() {
        return ConfigBuilder.grid(16, 4).batch(32).lr(1e-3).epochs(EPOCHS).seed(8).samples(1200, 200)
                .set("validation", 200).set("augment", Augment.HFLIP_CROP).set("schedule", Schedule.COSINE)
                .set("mapSamples", 4).checkpointEvery(3).build();
    }

    static DataSplit data(RunConfig c, Path dir) throws Exception {
        return TrainingData.load(c, dir, FetchProgress.SILENT);
    }

    /** Trains from scratch into dir until {@code cancelled} says stop (a TrainingCancelledException then). */
    static Trainer.Result train(RunConfig c, Path dir, RunRecorder[] recorder, BooleanSupplier cancelled)
            throws Exception {
        DataSplit data = data(c, dir.getParent());
        RunFiles files = new RunFiles(dir, c);
        files.writeConfig();
        try (Backend b = BackendCatalog.standard().open(c)) {
            b.upload(data);
            recorder[0] = new RunRecorder(b, files);
            TrainingListener listener = new TrainingListeners(recorder[0], files.heatmapWriter());
            return new Trainer(c, b, data, listener, recorder[0]).train(1, BestEpoch.NONE, cancelled);
        }
    }

    /** What the CLI's --resume does with a run folder. */
    static Trainer.Result resume(RunConfig c, Path dir, RunRecorder[] recorder) throws Exception {
        DataSplit data = data(c, dir.getParent());
        RunFiles files = new RunFiles(dir, c);
        try (Backend b = BackendCatalog.standard().open(c)) {
            b.upload(data);
            RunFiles.Checkpoint cp = files.readCheckpoint(ModelLayout.zeros(c));
            b.setParameters(cp.parameters());
            b.setOptimizerState(cp.optimizer());
            files.restoreBest(cp);
            files.deleteHeatmapsAfter(cp.epoch());
            recorder[0] = new RunRecorder(b, files);
            TrainingListener listener = new TrainingListeners(recorder[0], files.heatmapWriter());
            return new Trainer(c, b, data, listener, recorder[0]).train(cp.epoch() + 1, cp.best(), () -> false);
        }
    }

    /** Cancels in the third batch after {@code epochs} epochs have ended. */
    static BooleanSupplier cancelDuringEpochAfter(RunRecorder[] recorder, int epochs) {
        int[] asked = {0};
        return () -> recorder[0].epochs.size() >= epochs && ++asked[0] >= 3;
    }

    @Test
    void aRunStoppedAfterANewerBestAndResumedEndsAsTheStraightRun(@TempDir Path root) throws Exception {
        RunConfig c = config();
        Path straightDir = root.resolve("straight"), stoppedDir = root.resolve("stopped");
        RunRecorder[] straight = new RunRecorder[1], stopped = new RunRecorder[1], resumed = new RunRecorder[1];
        Trainer.Result whole = train(c, straightDir, straight, () -> false);

        TrainingCancelledException cancelled = assertThrows(TrainingCancelledException.class,
                () -> train(c, stoppedDir, stopped, cancelDuringEpochAfter(stopped, 5)));
        assertTrue(cancelled.getMessage().contains("epoch 6"), cancelled.getMessage());
        assertEquals(5, stopped[0].epochs.size());
        // the situation this test is about: the last checkpoint (epoch 3) is older than the best weights
        int bestWhenStopped = RunFiles.epochOf(stoppedDir.resolve(RunFiles.BEST));
        assertTrue(bestWhenStopped == 4 || bestWhenStopped == 5, "best.safetensors of epoch 4 or 5, got "
                + bestWhenStopped + ": " + stopped[0].epochs);
        assertEquals(3, new RunFiles(stoppedDir, c).readCheckpoint(ModelLayout.zeros(c)).epoch());

        Trainer.Result again = resume(c, stoppedDir, resumed);
        assertEquals(4, resumed[0].epochs.get(0).epoch());
        assertEquals(whole.best(), again.best(), "the best epoch and its accuracy");
        assertSameTensors(straightDir.resolve(RunFiles.BEST), stoppedDir.resolve(RunFiles.BEST));
        assertSameTensors(straightDir.resolve(RunFiles.WEIGHTS), stoppedDir.resolve(RunFiles.WEIGHTS));
        assertSameTensors(straightDir.resolve(RunFiles.CHECKPOINT), stoppedDir.resolve(RunFiles.CHECKPOINT));
        for (String file : List.of(RunFiles.BEST, RunFiles.WEIGHTS, RunFiles.CHECKPOINT)) {
            assertEquals(SafeTensors.read(straightDir.resolve(file)).metadata(),
                    SafeTensors.read(stoppedDir.resolve(file)).metadata(), file + " metadata");
        }
        for (int e = 0; e <= EPOCHS; e++) {
            RunFiles a = RunFiles.at(straightDir), b = RunFiles.at(stoppedDir);
            assertArrayEquals(a.readHeatmap(e).orElseThrow(), b.readHeatmap(e).orElseThrow(), "heatmap of epoch " + e);
        }
        for (int e = 4; e <= EPOCHS; e++) {
            assertEquals(straight[0].epochs.get(e - 1).validationLoss(), resumed[0].epochs.get(e - 4).validationLoss(),
                    "validation loss of epoch " + e);
        }
    }

    @Test
    void restoringTheBestPutsBackTheCheckpointsBestWeights(@TempDir Path root) throws Exception {
        RunConfig c = config();
        Path dir = root.resolve("run");
        RunRecorder[] stopped = new RunRecorder[1];
        assertThrows(TrainingCancelledException.class, () -> train(c, dir, stopped, cancelDuringEpochAfter(stopped,
                5)));
        RunFiles files = new RunFiles(dir, c);
        RunFiles.Checkpoint cp = files.readCheckpoint(ModelLayout.zeros(c));
        assertEquals(3, cp.epoch());
        int bestAtCheckpoint = RunRecorder.argmax(stopped[0].epochs.subList(0, 3), EpochMetrics::validationAccuracy);
        assertEquals(bestAtCheckpoint, cp.best().epoch(), "the checkpoint's best epoch is the best of epochs 1-3");
        assertEquals(stopped[0].epochs.get(bestAtCheckpoint - 1).validationAccuracy(), cp.best().accuracy());
        assertTrue(RunFiles.epochOf(dir.resolve(RunFiles.BEST)) > 3, "a newer best was written before the stop");

        files.restoreBest(cp);
        Path best = dir.resolve(RunFiles.BEST);
        assertEquals(bestAtCheckpoint, RunFiles.epochOf(best));
        Parameters restored = RunFiles.readWeights(best, ModelLayout.zeros(c));
        Parameters expected = stopped[0].parameters.get(bestAtCheckpoint);
        for (Tensor t : expected.tensors()) {
            assertArrayEquals(t.data(), restored.data(t.name()), t.name());
        }
    }

    @Test
    void restoringACheckpointWithoutABestEpochRemovesTheBestWeights(@TempDir Path dir) throws Exception {
        RunConfig c = config();
        RunFiles files = new RunFiles(dir, c);
        Parameters p = ModelLayout.initial(c);
        try (Backend b = BackendCatalog.standard().open(c)) {
            b.upload(data(c, dir));
            files.saveBest(new BestEpoch(2, 0.5), b);
        }
        assertTrue(Files.exists(dir.resolve(RunFiles.BEST)));
        files.restoreBest(new RunFiles.Checkpoint(0, p, OptimizerState.fresh(p), Trainer.Start.NEW));
        assertFalse(Files.exists(dir.resolve(RunFiles.BEST)), "no best epoch as of the checkpoint: no best weights");
    }

    static void assertSameTensors(Path expected, Path actual) throws Exception {
        SafeTensorsFile a = SafeTensors.read(expected), b = SafeTensors.read(actual);
        assertEquals(a.tensors().size(), b.tensors().size(), expected.getFileName() + " tensor count");
        for (Tensor t : a.tensors()) {
            assertArrayEquals(t.shape(), b.get(t.name()).shape(), t.name());
            assertArrayEquals(t.data(), b.get(t.name()).data(), expected.getFileName() + ": " + t.name());
        }
    }
}
