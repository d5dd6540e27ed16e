package org.neuralgrid.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralgrid.bus.RunStatus;
import org.neuralgrid.engine.BestEpoch;
import org.neuralgrid.engine.EpochMetrics;
import org.neuralgrid.engine.RunFiles;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.SweepSpec;
import org.neuralgrid.model.SweepSpecJson;

/** Sweeps in the run store: a sweep and its runs stored together, read back in order, and what they trained. */
class SweepStoreTest {
    @TempDir
    Path dataDir;

    private static SweepSpec kernels(String name) {
        RunConfig base = ConfigBuilder.grid(16, 8).batch(64).epochs(2).seed(7).samples(512, 128).threads(1).build();
        return SweepSpec.grid(name, base, List.of(new SweepSpec.Values(RunConfig.field("kernel").orElseThrow(),
                List.of(3, 5))), 2);
    }

    @Test
    void aSweepIsStoredWithEveryRunQueuedInTheSweepsOrderNamingItsPointAndSeed() {
        try (RunStore store = RunStore.open(dataDir)) {
            SweepRecord sweep = store.createSweep(kernels("kernels"));
            List<RunRecord> runs = store.sweepRuns(sweep.id());

            assertEquals(List.of("{\"kernel\":3}/7", "{\"kernel\":3}/8", "{\"kernel\":5}/7", "{\"kernel\":5}/8"),
                    runs.stream().map(r -> r.point() + "/" + r.config().seed()).toList());
            assertTrue(runs.stream().allMatch(r -> r.status() == RunStatus.QUEUED && sweep.id().equals(r.sweep())));
            assertEquals("kernels · kernel=5 · seed 8", runs.get(3).name());
            assertEquals(5, runs.get(3).config().kernel());
            assertTrue(runs.stream().allMatch(r -> Files.isRegularFile(store.runDir(r.id()).resolve(RunFiles.CONFIG))));
            assertNull(store.create("alone", kernels("").base()).sweep(), "a run of its own belongs to no sweep");
        }
        try (RunStore reopened = RunStore.open(dataDir)) {
            SweepRecord sweep = reopened.listSweeps().get(0);
            assertEquals("kernels", sweep.name());
            assertEquals(SweepSpecJson.write(kernels("kernels")), SweepSpecJson.write(sweep.spec()));
            assertEquals(4, reopened.sweepRuns(sweep.id()).size());
        }
    }

    @Test
    void sweepsAreListedNewestFirstAndAnUnnamedOneIsNamedAfterItsFields() throws InterruptedException {
        try (RunStore store = RunStore.open(dataDir)) {
            SweepRecord first = store.createSweep(kernels(""));
            Thread.sleep(5);
            SweepRecord second = store.createSweep(kernels("second"));

            assertEquals(List.of(second.id(), first.id()), store.listSweeps().stream().map(SweepRecord::id).toList());
            assertEquals("sweep of kernel #" + first.id().substring(0, 4), first.name());
        }
    }

    @Test
    void theTotalsOfARunAreItsLastEpochsTestAccuracyAndTheSecondsOfAllItsEpochs() {
        try (RunStore store = RunStore.open(dataDir)) {
            SweepRecord sweep = store.createSweep(kernels("k"));
            String id = store.sweepRuns(sweep.id()).get(1).id();
            BestEpoch best = BestEpoch.NONE;
            for (int e = 1; e <= 3; e++) {
                EpochMetrics m = EpochMetrics.withoutValidation(e, 1, 0.5, 1, 0.6 + e / 100.0, 0.003, 1.5 * e, 100);
                best = best.after(m, false);
                store.recordEpoch(id, m, best);
            }

            Map<String, RunStore.RunTotals> totals = store.sweepTotals(sweep.id());
            assertEquals(Map.of(id, new RunStore.RunTotals(0.63, 9.0)), totals);
            double rate = store.cellSamplesPerSecond(100).get("java");
            assertEquals(RunStore.epochWork(store.find(id).orElseThrow().config()) / 3.0, rate, 1e-6,
                    "the median of the epochs of 1.5, 3 and 4.5 s");
        }
    }

    @Test
    void aVersion2StoreGainsSweepsAndKeepsItsRuns() throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(RunStore.DATABASE));
             Statement s = db.createStatement()) {
            s.execute("CREATE TABLE runs (id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL, config TEXT"
                    + " NOT NULL, epoch INTEGER NOT NULL DEFAULT 0, epochs INTEGER NOT NULL, best_epoch INTEGER,"
                    + " best_test_accuracy REAL, backend TEXT, device TEXT, message TEXT, created INTEGER NOT NULL,"
                    + " started INTEGER, finished INTEGER)");
            s.execute("CREATE TABLE metrics (run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, epoch"
                    + " INTEGER NOT NULL, train_loss REAL, train_accuracy REAL, validation_loss REAL,"
                    + " validation_accuracy REAL, test_loss REAL, test_accuracy REAL, learning_rate REAL, seconds REAL,"
                    + " samples_per_second REAL, PRIMARY KEY (run_id, epoch))");
            s.execute("INSERT INTO runs (id, name, status, config, epochs, created) VALUES ('0123456789ab', 'old',"
                    + " 'completed', '" + org.neuralgrid.model.RunConfigJson.write(kernels("").base()) + "', 2, 1)");
            s.execute("PRAGMA user_version = 2");
        }
        try (RunStore store = RunStore.open(dataDir)) {
            RunRecord old = store.find("0123456789ab").orElseThrow();
            assertEquals("old", old.name());
            assertNull(old.sweep());
            assertEquals(4, store.sweepRuns(store.createSweep(kernels("new")).id()).size());
        }
    }
}
