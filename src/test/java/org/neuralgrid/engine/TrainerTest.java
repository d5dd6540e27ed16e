package org.neuralgrid.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.SyntheticData;
import org.neuralgrid.engine.catalog.BackendCatalog;
import org.neuralgrid.io.MapKind;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.ModelLayout;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;

/** The training loop: learning, reproducibility, checkpoints and resuming, divergence, cancelling. */
class TrainerTest {

    static RunConfig config(int epochs, double lr, long seed) {
        return ConfigBuilder.grid(16, 8).batch(32).lr(lr).epochs(epochs).seed(seed).samples(2000, 500)
                .checkpointEvery(1).build();
    }

    static final class Recorder implements TrainingListener {
        final List<EpochMetrics> epochs = new ArrayList<>();
        /** The mean maps, one per epoch from 0. */
        final List<ActivationMaps> maps = new ArrayList<>();
        /** Every picture, all five kinds per epoch. */
        final List<ActivationMaps> pictures = new ArrayList<>();
        final List<TrainingProgress> progress = new ArrayList<>();

        @Override
        public void onEpoch(EpochMetrics m, BestEpoch best) {
            epochs.add(m);
        }

        @Override
        public void onActivationMaps(ActivationMaps m) {
            pictures.add(m);
            if (m.kind() == MapKind.MEAN) {
                maps.add(m);
            }
        }

        @Override
        public void onProgress(TrainingProgress p) {
            progress.add(p);
        }
    }

    static Recorder run(RunConfig c, Trainer.Checkpoints checkpoints) {
        DataSplit data = SyntheticData.generate(c.samples(), c.testSamples(), c.seed());
        Recorder rec = new Recorder();
        try (Backend b = BackendCatalog.standard().open(c)) {
            b.upload(data);
            new Trainer(c, b, data, rec, checkpoints).train(1, BestEpoch.NONE, () -> false);
        }
        return rec;
    }

    @Test
    void theMapsAverageTheFirstMapSamplesTestImagesOfEachClass() {
        RunConfig c = ConfigBuilder.grid(8, 3).batch(32).samples(320, 200).set("mapSamples", 3).build();
        Recorder rec = run(c, Trainer.Checkpoints.NONE);
        DataSplit data = SyntheticData.generate(c.samples(), c.testSamples(), c.seed());
        try (Backend fresh = BackendCatalog.standard().open(c)) {
            fresh.upload(data);
            float[] three = fresh.activationMaps(0, data.test().firstOfEachClass(3)).mean().values();
            float[] all = fresh.activationMaps(0, data.test().firstOfEachClass(64)).mean().values();
            assertArrayEquals(three, rec.maps.get(0).values(), "epoch 0: the maps of the first 3 of each class");
            assertFalse(java.util.Arrays.equals(three, all), "3 and 64 images give other maps");
        }
    }

    @Test
    void aSmallSyntheticTaskIsLearnedToOver95PercentInAFewEpochs() {
        RunConfig c = ConfigBuilder.grid(32, 4).batch(32).lr(2e-3).epochs(3).seed(1).samples(8000, 1000).build();
        Recorder rec = run(c, Trainer.Checkpoints.NONE);
        EpochMetrics last = rec.epochs.get(rec.epochs.size() - 1);
        assertTrue(last.testAccuracy() > 0.95, "test accuracy " + last.testAccuracy());
        assertTrue(rec.epochs.get(0).trainLoss() > last.trainLoss(), "the loss went down");
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnotherRun() {
        Recorder a = run(config(2, 1e-3, 5), Trainer.Checkpoints.NONE);
        Recorder b = run(config(2, 1e-3, 5), Trainer.Checkpoints.NONE);
        Recorder c = run(config(2, 1e-3, 6), Trainer.Checkpoints.NONE);
        for (int e = 0; e < 2; e++) {
            assertEquals(a.epochs.get(e).trainLoss(), b.epochs.get(e).trainLoss());
            assertEquals(a.epochs.get(e).testLoss(), b.epochs.get(e).testLoss());
        }
        assertArrayEquals(a.maps.get(2).values(), b.maps.get(2).values());
        assertFalse(a.epochs.get(1).trainLoss() == c.epochs.get(1).trainLoss());
    }

    @Test
    void activationMapsComeBeforeTrainingAndAfterEveryEpoch() {
        Recorder rec = run(config(2, 1e-3, 2), Trainer.Checkpoints.NONE);
        assertEquals(3, rec.maps.size());
        for (int e = 0; e < 3; e++) {
            ActivationMaps m = rec.maps.get(e);
            assertEquals(e, m.epoch());
            assertEquals(10, m.classes());
            assertEquals(16, m.height());
            assertEquals(8, m.width());
        }
        assertFalse(java.util.Arrays.equals(rec.maps.get(0).values(), rec.maps.get(2).values()));
    }

    @Test
    void everyPictureTimeGivesAllFiveKindsMeanFirstWithTheParametersOfThatMoment() {
        RunConfig c = config(2, 1e-3, 2);
        PictureWatcher rec = new PictureWatcher();
        DataSplit data = SyntheticData.generate(c.samples(), c.testSamples(), c.seed());
        try (Backend b = BackendCatalog.standard().open(c)) {
            b.upload(data);
            rec.backend = b;
            new Trainer(c, b, data, rec, Trainer.Checkpoints.NONE).train(1, BestEpoch.NONE, () -> false);
        }
        assertEquals(3 * 5, rec.pictures.size());
        for (int e = 0; e < 3; e++) {
            List<ActivationMaps> epoch = rec.pictures.subList(5 * e, 5 * e + 5);
            assertEquals(List.of(MapKind.values()), epoch.stream().map(ActivationMaps::kind).toList());
            for (ActivationMaps m : epoch) {
                assertEquals(e, m.epoch());
                assertEquals(m.kind().maps(), m.classes());
                assertEquals(16, m.height());
                assertEquals(8, m.width());
            }
            // the weights map is grid.weight (W, H) as H rows by W columns, read when the maps were taken
            float[] weight = rec.weightsAtPictures.get(e);
            assertEquals(weight[3 * 16 + 5], epoch.get(3).value(0, 5, 3));
        }
    }

    @Test
    void theSameSeedGivesTheSamePicturesOfEveryKind() {
        Recorder a = run(config(2, 1e-3, 5), Trainer.Checkpoints.NONE);
        Recorder b = run(config(2, 1e-3, 5), Trainer.Checkpoints.NONE);
        assertEquals(a.pictures.size(), b.pictures.size());
        for (int i = 0; i < a.pictures.size(); i++) {
            assertEquals(a.pictures.get(i).kind(), b.pictures.get(i).kind());
            assertArrayEquals(a.pictures.get(i).values(), b.pictures.get(i).values(), "picture " + i);
        }
    }

    /** Records the pictures and grid.weight as the backend had it when each epoch's pictures came. */
    private static final class PictureWatcher implements TrainingListener {
        final List<ActivationMaps> pictures = new ArrayList<>();
        final List<float[]> weightsAtPictures = new ArrayList<>();
        Backend backend;

        @Override
        public void onActivationMaps(ActivationMaps m) {
            pictures.add(m);
            if (m.kind() == MapKind.MEAN) {
                weightsAtPictures.add(backend.parameters().get(Parameters.GRID_WEIGHT).data());
            }
        }
    }

    @Test
    void theLearningRateDropsByGammaEveryStep() {
        RunConfig c = ConfigBuilder.grid(8, 2).gain(1).batch(100).lr(1e-2).lrSteps(2, 0.1).epochs(5).seed(1)
                .samples(200, 100).threads(1).build();
        Recorder rec = run(c, Trainer.Checkpoints.NONE);
        double[] expected = {1e-2, 1e-2, 1e-3, 1e-3, 1e-4};
        for (int e = 0; e < 5; e++) {
            assertEquals(expected[e], rec.epochs.get(e).learningRate(), 1e-12);
        }
    }

    @Test
    void resumingFromACheckpointContinuesExactlyWhereTheRunStopped(@TempDir Path dir) throws Exception {
        RunConfig full = config(3, 1e-3, 9);
        Recorder straight = run(full, Trainer.Checkpoints.NONE);

        RunConfig firstTwo = full.withEpochs(2);
        RunFiles files = new RunFiles(dir, firstTwo);
        files.writeConfig();
        run(firstTwo, files);
        assertTrue(Files.size(dir.resolve(RunFiles.WEIGHTS)) > 0);

        DataSplit data = SyntheticData.generate(full.samples(), full.testSamples(), full.seed());
        RunFiles.Checkpoint cp = new RunFiles(dir, full).readCheckpoint(ModelLayout.zeros(full));
        assertEquals(2, cp.epoch());
        Recorder resumed = new Recorder();
        try (Backend b = BackendCatalog.standard().open(full)) {
            b.upload(data);
            b.setParameters(cp.parameters());
            b.setOptimizerState(cp.optimizer());
            new Trainer(full, b, data, resumed, Trainer.Checkpoints.NONE).train(3, BestEpoch.NONE, () -> false);
        }
        assertEquals(straight.epochs.get(2).trainLoss(), resumed.epochs.get(0).trainLoss());
        assertEquals(straight.epochs.get(2).testLoss(), resumed.epochs.get(0).testLoss());
    }

    @Test
    void aDivergingRunStopsWithAClearMessageAndKeepsItsLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        // a deep identity grid: fine at a small learning rate, blown past float's range at lr 10
        ConfigBuilder deepLinear = ConfigBuilder.grid(16, 40).activation(Activation.IDENTITY).gain(1).batch(32)
                .lrSteps(100, 1).samples(640, 64).checkpointEvery(1);
        RunConfig calm = deepLinear.lr(1e-4).epochs(1).build();
        RunConfig wild = deepLinear.lr(10).epochs(4).build();
        RunFiles files = new RunFiles(dir, calm);
        run(calm, files);
        Parameters good = RunFiles.readWeights(files.weights(), ModelLayout.zeros(calm));
        DataSplit data = SyntheticData.generate(wild.samples(), wild.testSamples(), wild.seed());
        try (Backend b = BackendCatalog.standard().open(wild)) {
            b.upload(data);
            b.setParameters(good);
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> new Trainer(wild, b, data, TrainingListener.NONE, new RunFiles(dir, wild)).train(2, BestEpoch.NONE, () -> false));
            assertTrue(e.getMessage().contains("diverged"), e.getMessage());
        }
        Parameters kept = RunFiles.readWeights(files.weights(), ModelLayout.zeros(calm));
        assertArrayEquals(good.data(Parameters.GRID_WEIGHT), kept.data(Parameters.GRID_WEIGHT));
        assertEquals(1, new RunFiles(dir, calm).readCheckpoint(ModelLayout.zeros(calm)).epoch());
    }

    @Test
    void aCancelledRunStopsBetweenBatches() {
        RunConfig c = config(5, 1e-3, 4);
        DataSplit data = SyntheticData.generate(c.samples(), c.testSamples(), c.seed());
        int[] asked = {0};
        try (Backend b = BackendCatalog.standard().open(c)) {
            b.upload(data);
            assertThrows(TrainingCancelledException.class, () -> new Trainer(c, b, data, TrainingListener.NONE,
                    Trainer.Checkpoints.NONE).train(1, BestEpoch.NONE, () -> ++asked[0] > 10));
        }
        assertEquals(11, asked[0]);
    }
}
