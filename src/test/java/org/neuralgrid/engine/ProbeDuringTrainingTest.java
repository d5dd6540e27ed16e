package org.neuralgrid.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.SyntheticData;
import org.neuralgrid.engine.catalog.BackendCatalog;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;

/**
 * Probes of a training run read its live parameters between two steps and change nothing: the same seed with and
 * without 50 probes during training gives bit-identical weights.
 */
class ProbeDuringTrainingTest {
    static final int PROBES = 50;

    @Test
    void fiftyProbesDuringTrainingLeaveTheWeightsBitIdenticalOnTheJavaBackend() throws Exception {
        assertProbesChangeNothing(ConfigBuilder.grid(16, 6).batch(32).samples(640, 128).set("epochs", 4).build());
    }

    /** Trains twice from the same seed, the second time with a probe before each of its first 50 steps. */
    static void assertProbesChangeNothing(RunConfig c) throws Exception {
        DataSplit data = SyntheticData.generate(c.samples(), c.testSamples(), c.seed());
        Parameters plain = train(c, data, null);
        List<CompletableFuture<ParameterSnapshots.Snapshot>> taken = new ArrayList<>();
        Parameters probed = train(c, data, taken);

        assertEquals(PROBES, taken.size());
        Set<String> steps = new HashSet<>();
        float[] image = ImageProbeTest.image(11);
        for (CompletableFuture<ParameterSnapshots.Snapshot> f : taken) {
            ParameterSnapshots.Snapshot s = f.get();
            assertTrue(steps.add(s.epoch() + "/" + s.batch()), "one snapshot a step: " + s.epoch() + "/" + s.batch());
            ImageProbe p = ImageProbe.of(c, s.parameters(), image, -1);
            assertEquals(1, java.util.Arrays.stream(p.probabilities()).sum(), 1e-9);
        }
        assertFalse(java.util.Arrays.equals(taken.get(0).get().parameters().data(Parameters.GRID_WEIGHT),
                taken.get(PROBES - 1).get().parameters().data(Parameters.GRID_WEIGHT)), "the snapshots are live");
        for (String name : new String[] {Parameters.GRID_WEIGHT, Parameters.GRID_BIAS, Parameters.OUT_WEIGHT}) {
            assertArrayEquals(plain.data(name), probed.data(name), name + " bit for bit");
        }
        if (plain.has(Parameters.IN_WEIGHT)) {
            assertArrayEquals(plain.data(Parameters.IN_WEIGHT), probed.data(Parameters.IN_WEIGHT));
        }
    }

    private static Parameters train(RunConfig c, DataSplit data,
                                    List<CompletableFuture<ParameterSnapshots.Snapshot>> taken) {
        ParameterSnapshots snapshots = new ParameterSnapshots();
        try (Backend b = BackendCatalog.standard().open(c)) {
            b.upload(data);
            // the stop is asked before every step, on the training thread: a probe asked there is answered at
            // that very step boundary
            Trainer.Stop probing = () -> {
                if (taken != null && taken.size() < PROBES) {
                    taken.add(snapshots.request());
                }
                return false;
            };
            new Trainer(c, b, data, TrainingListener.NONE, Trainer.Checkpoints.NONE).serving(snapshots)
                    .train(Trainer.Start.NEW, probing);
            snapshots.close();
            return b.parameters();
        }
    }

    @Test
    void betweenEpochsAProbeIsAnsweredAtOnceAndDuringStepsAtTheNextBoundary() throws Exception {
        RunConfig c = ConfigBuilder.grid(8, 3).batch(16).samples(64, 32).build();
        try (Backend b = BackendCatalog.standard().open(c)) {
            b.upload(SyntheticData.generate(64, 32, 1));
            ParameterSnapshots snapshots = new ParameterSnapshots();
            ParameterSnapshots.Snapshot held = snapshots.holdStill(b, 1, 4);
            CompletableFuture<ParameterSnapshots.Snapshot> during = snapshots.request();
            assertTrue(during.isDone(), "the evaluation does not keep a probe waiting");
            assertEquals(held, during.get());
            snapshots.serve(b, 2, 0);
            CompletableFuture<ParameterSnapshots.Snapshot> stepping = snapshots.request();
            assertFalse(stepping.isDone(), "while steps run a probe waits for the next boundary");
            snapshots.serve(b, 2, 1);
            assertEquals(1, stepping.get().batch());
        }
    }

    @Test
    void aSnapshotAskedAfterTrainingEndedFails() {
        ParameterSnapshots snapshots = new ParameterSnapshots();
        CompletableFuture<ParameterSnapshots.Snapshot> waiting = snapshots.request();
        snapshots.close();
        assertThrows(ExecutionException.class, waiting::get);
        assertThrows(ExecutionException.class, () -> snapshots.request().get());
    }
}
