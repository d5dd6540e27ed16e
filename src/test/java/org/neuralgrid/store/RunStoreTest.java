package org.neuralgrid.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralgrid.io.HeatmapFrame;
import org.neuralgrid.io.MapKind;
import org.neuralgrid.bus.RunId;
import org.neuralgrid.bus.RunName;
import org.neuralgrid.bus.RunStatus;
import org.neuralgrid.engine.BestEpoch;
import org.neuralgrid.engine.EpochMetrics;
import org.neuralgrid.engine.RunFiles;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.DatasetKind;
import org.neuralgrid.model.RunConfig;

class RunStoreTest {
    @TempDir
    Path dataDir;

    private static RunConfig tiny() {
        return ConfigBuilder.grid(16, 8).batch(64).lr(0.003).epochs(2).seed(7).samples(512, 128).threads(1).build();
    }

    private static EpochMetrics epoch(int e, double testAccuracy) {
        return EpochMetrics.withoutValidation(e, 2.0 / e, 0.1 * e, 2.1 / e, testAccuracy, 0.003, 0.5, 1024);
    }

    /** Records epochs in order as the trainer does: the best so far chosen on test accuracy. */
    private static RunRecord record(RunStore store, String id, EpochMetrics... epochs) {
        BestEpoch best = BestEpoch.of(store.metrics(id), false);
        RunRecord run = null;
        for (EpochMetrics m : epochs) {
            best = best.after(m, false);
            run = store.recordEpoch(id, m, best).orElseThrow();
        }
        return run;
    }

    @Test
    void createdRunIsQueuedWithItsConfigAndAReadableName() {
        try (RunStore store = RunStore.open(dataDir)) {
            RunRecord run = store.create(null, tiny());
            assertTrue(RunId.isValid(run.id()));
            assertEquals(RunStatus.QUEUED, run.status());
            assertEquals("16x8 sin k3 #" + run.id().substring(0, 4), run.name());
            assertEquals(tiny(), run.config());
            assertEquals(2, run.epochs());
            assertNull(run.bestTestAccuracy());
            assertNotNull(run.created());
            assertTrue(Files.isRegularFile(dataDir.resolve("runs").resolve(run.id()).resolve(RunFiles.CONFIG)));
            assertEquals(run, store.find(run.id()).orElseThrow());
        }
    }

    @Test
    void namesAreTrimmedAndNamesTheApiWouldRefuseAreRefusedNotCut() {
        try (RunStore store = RunStore.open(dataDir)) {
            assertEquals("my run", store.create("  my run \n", tiny()).name());
            String longest = "x".repeat(RunName.MAX_LENGTH);
            assertEquals(longest, store.create(longest, tiny()).name());
            assertThrows(IllegalArgumentException.class, () -> store.create(longest + "x", tiny()));
            assertThrows(IllegalArgumentException.class, () -> store.create("a\u0007b", tiny()));
            assertEquals(2, store.list().size());
        }
    }

    @Test
    void listShowsNewestFirst() {
        try (RunStore store = RunStore.open(dataDir)) {
            RunRecord a = store.create("a", tiny());
            RunRecord b = store.create("b", tiny());
            RunRecord c = store.create("c", tiny());
            assertEquals(List.of(c.id(), b.id(), a.id()), store.list().stream().map(RunRecord::id).toList());
            assertEquals(List.of(a.id(), b.id(), c.id()), store.queued().stream().map(RunRecord::id).toList());
        }
    }

    @Test
    void epochsAreRecordedWithTheBestTestAccuracy() {
        try (RunStore store = RunStore.open(dataDir)) {
            String id = store.create("m", tiny()).id();
            RunRecord run = record(store, id, epoch(1, 0.5), epoch(2, 0.4));
            assertEquals(2, run.epoch());
            assertEquals(1, run.bestEpoch());
            assertEquals(0.5, run.bestTestAccuracy(), 1e-12);
            assertEquals(List.of(epoch(1, 0.5), epoch(2, 0.4)), store.metrics(id));
            assertEquals(1.0, run.progress(), 1e-12);
        }
    }

    @Test
    void rewindForgetsEpochsAfterACheckpoint() {
        try (RunStore store = RunStore.open(dataDir)) {
            String id = store.create("m", tiny()).id();
            for (int e = 0; e <= 2; e++) {
                store.writeHeatmap(id, frame(e));
            }
            record(store, id, epoch(1, 0.3), epoch(2, 0.6));
            assertEquals(2, store.find(id).orElseThrow().bestEpoch());
            RunRecord run = store.rewind(id, 1, new BestEpoch(1, 0.3)).orElseThrow();
            assertEquals(1, run.epoch());
            assertEquals(1, run.bestEpoch());
            assertEquals(0.3, run.bestTestAccuracy(), 1e-12);
            assertEquals(List.of(epoch(1, 0.3)), store.metrics(id));
            assertTrue(store.readHeatmap(id, 1).isPresent());
            assertTrue(store.readHeatmap(id, 2).isEmpty());
        }
    }

    @Test
    void statusChangesSetAndClearTheFinishTime() {
        try (RunStore store = RunStore.open(dataDir)) {
            String id = store.create("s", tiny()).id();
            RunRecord started = store.markStarted(id).orElseThrow();
            assertEquals(RunStatus.RUNNING, started.status());
            assertNotNull(started.started());
            RunRecord withDevice = store.recordDevice(id, "java", "CPU, 1 thread").orElseThrow();
            assertEquals("CPU, 1 thread", withDevice.device());
            RunRecord failed = store.setStatus(id, RunStatus.FAILED, "boom").orElseThrow();
            assertEquals("boom", failed.message());
            assertNotNull(failed.finished());
            RunRecord requeued = store.setStatus(id, RunStatus.QUEUED, null).orElseThrow();
            assertNull(requeued.finished());
            assertNull(requeued.message());
            assertTrue(store.setStatus("0123456789ab", RunStatus.FAILED, "x").isEmpty());
        }
    }

    @Test
    void heatmapsRoundTripByEpoch() throws IOException {
        try (RunStore store = RunStore.open(dataDir)) {
            String id = store.create("h", tiny()).id();
            HeatmapFrame frame = frame(3);
            store.writeHeatmap(id, frame);
            byte[] read = store.readHeatmap(id, 3).orElseThrow();
            assertArrayEquals(frame.encode(), read);
            assertEquals(3, HeatmapFrame.decode(read).epoch());
            assertTrue(store.readHeatmap(id, 4).isEmpty());
            assertTrue(store.readHeatmap(id, -1).isEmpty());
            assertTrue(Files.isRegularFile(store.runDir(id).resolve("heatmaps/epoch-00003.ngh")));
            try (var files = Files.list(store.runDir(id).resolve("heatmaps"))) {
                assertEquals(1, files.count(), "no temporary file is left behind");
            }
        }
    }

    @Test
    void runsMetricsAndHeatmapsSurviveReopening() {
        String id;
        try (RunStore store = RunStore.open(dataDir)) {
            id = store.create("kept", tiny()).id();
            store.markStarted(id);
            record(store, id, epoch(1, 0.7));
            store.setStatus(id, RunStatus.COMPLETED, null);
            store.writeHeatmap(id, frame(1));
        }
        try (RunStore store = RunStore.open(dataDir)) {
            RunRecord run = store.find(id).orElseThrow();
            assertEquals("kept", run.name());
            assertEquals(RunStatus.COMPLETED, run.status());
            assertEquals(0.7, run.bestTestAccuracy(), 1e-12);
            assertEquals(List.of(epoch(1, 0.7)), store.metrics(id));
            assertTrue(store.readHeatmap(id, 1).isPresent());
            assertEquals(tiny(), run.config());
            assertEquals(store.runDir(id), store.runFiles(id).dir());
        }
    }

    @Test
    void runsLeftRunningByACrashBecomeInterruptedAndForgetWhatIsAfterTheirCheckpoint() {
        String running;
        String queued;
        try (RunStore store = RunStore.open(dataDir)) {
            running = store.create("r", tiny()).id();
            queued = store.create("q", tiny()).id();
            store.markStarted(running);
            record(store, running, epoch(1, 0.3), epoch(2, 0.6));
            store.writeHeatmap(running, frame(2));
        }
        try (RunStore store = RunStore.open(dataDir)) {
            RunRecord r = store.find(running).orElseThrow();
            assertEquals(RunStatus.INTERRUPTED, r.status());
            assertEquals(RunStore.LOST_MESSAGE, r.message());
            assertEquals(0, r.epoch(), "no checkpoint was written: nothing of its training is kept");
            assertEquals(List.of(), store.metrics(running));
            assertTrue(store.readHeatmap(running, 2).isEmpty());
            assertEquals(RunStatus.QUEUED, store.find(queued).orElseThrow().status());
        }
    }

    @Test
    void deleteRemovesRowsAndFolder() {
        try (RunStore store = RunStore.open(dataDir)) {
            String id = store.create("d", tiny()).id();
            record(store, id, epoch(1, 0.2));
            store.writeHeatmap(id, frame(1));
            Path dir = store.runDir(id);
            assertTrue(store.delete(id));
            assertFalse(Files.exists(dir));
            assertTrue(store.find(id).isEmpty());
            assertTrue(store.metrics(id).isEmpty());
            assertTrue(store.list().isEmpty());
            assertFalse(store.delete(id));
        }
    }

    @Test
    void badIdsAreRejectedBeforeTouchingAnyFile() {
        try (RunStore store = RunStore.open(dataDir)) {
            for (String bad : new String[] {"../../etc", "0123456789AB", "0123456789a", "0123456789abc", "", null,
                "0123456789a/"}) {
                assertThrows(IllegalArgumentException.class, () -> store.find(bad));
                assertThrows(IllegalArgumentException.class, () -> store.readHeatmap(bad, 0));
                assertThrows(IllegalArgumentException.class, () -> store.delete(bad));
                assertThrows(IllegalArgumentException.class, () -> store.runDir(bad));
            }
            assertTrue(store.find("0123456789ab").isEmpty());
        }
    }

    @Test
    void heatmapsOfEveryKindRoundTripAndARewindOrDeleteTakesThemAll() {
        try (RunStore store = RunStore.open(dataDir)) {
            String id = store.create("k", tiny()).id();
            for (int e = 0; e <= 2; e++) {
                for (MapKind kind : MapKind.values()) {
                    store.writeHeatmap(id, frame(kind, e));
                }
            }
            for (MapKind kind : MapKind.values()) {
                byte[] read = store.readHeatmap(id, kind, 2).orElseThrow();
                assertArrayEquals(frame(kind, 2).encode(), read, kind.id());
            }
            assertTrue(Files.isRegularFile(store.runDir(id).resolve("heatmaps/epoch-00002.ngh")));
            assertTrue(Files.isRegularFile(store.runDir(id).resolve("heatmaps/biases-epoch-00002.ngh")));
            assertArrayEquals(store.readHeatmap(id, MapKind.MEAN, 1).orElseThrow(),
                    store.readHeatmap(id, 1).orElseThrow(), "the kind defaults to mean");

            store.rewind(id, 1, BestEpoch.NONE);
            for (MapKind kind : MapKind.values()) {
                assertTrue(store.readHeatmap(id, kind, 1).isPresent(), kind.id());
                assertTrue(store.readHeatmap(id, kind, 2).isEmpty(), kind.id());
            }
            assertTrue(store.delete(id));
            assertFalse(Files.exists(store.runDir(id)));
        }
    }

    @Test
    void anUnreadableDatabaseIsReportedByName() throws IOException {
        Files.writeString(dataDir.resolve(RunStore.DATABASE), "this is not a database, but it is long enough ".repeat(20));
        RunStoreException e = assertThrows(RunStoreException.class, () -> RunStore.open(dataDir));
        assertTrue(e.getMessage().contains(dataDir.resolve(RunStore.DATABASE).toAbsolutePath().toString()), e.getMessage());
    }

    private static HeatmapFrame frame(MapKind kind, int epoch) {
        float[] values = new float[kind.maps() * 16 * 8];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.cos(i + epoch + kind.code());
        }
        return HeatmapFrame.quantise(kind, epoch, 2, kind.maps(), 1, 16, 8, values);
    }

    private static HeatmapFrame frame(int epoch) {
        float[] values = new float[10 * 16 * 8];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i + epoch);
        }
        return HeatmapFrame.quantise(epoch, 10, 1, 16, 8, values);
    }
}
