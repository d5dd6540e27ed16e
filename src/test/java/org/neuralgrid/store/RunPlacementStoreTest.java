package org.neuralgrid.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralgrid.bus.RunStatus;
import org.neuralgrid.engine.BestEpoch;
import org.neuralgrid.engine.EpochMetrics;
import org.neuralgrid.engine.RunFiles;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.RunConfig;

/**
 * Runs handed to cluster nodes, in the store: which node and attempt hold a run, what survives a restart of the
 * dashboard, a run lost with its node, and the files a node sends in parts.
 */
class RunPlacementStoreTest {
    @TempDir
    Path dataDir;

    private static final RunRecord.Placement ON_A = new RunRecord.Placement("node-a", "10.0.0.6", "attempt-1");

    private static RunConfig tiny() {
        return ConfigBuilder.grid(16, 8).batch(64).epochs(3).seed(7).samples(512, 128).threads(1).build();
    }

    private static EpochMetrics epoch(int e) {
        return EpochMetrics.withoutValidation(e, 2.0 / e, 0.1 * e, 2.1 / e, 0.2 * e, 0.003, 0.5, 1024);
    }

    @Test
    void aRunHandedToANodeRunsThereUnderItsAttemptAndARunStartedHereHasNoNode() {
        try (RunStore store = RunStore.open(dataDir)) {
            String id = store.create("r", tiny()).id();
            RunRecord placed = store.markPlaced(id, ON_A).orElseThrow();
            assertEquals(RunStatus.RUNNING, placed.status());
            assertEquals(ON_A, placed.placement());
            assertTrue(placed.remote());
            assertEquals(List.of(id), store.runningOnNodes().stream().map(RunRecord::id).toList());
            RunRecord local = store.markStarted(id).orElseThrow();
            assertNull(local.placement(), "started in this process: no node");
            assertEquals(List.of(), store.runningOnNodes());
        }
    }

    @Test
    void aRestartKeepsRunsOnNodesRunningAndInterruptsOnlyItsOwn() {
        String remote;
        String local;
        try (RunStore store = RunStore.open(dataDir)) {
            remote = store.create("remote", tiny()).id();
            local = store.create("local", tiny()).id();
            store.markPlaced(remote, ON_A);
            store.recordEpoch(remote, epoch(1), new BestEpoch(1, 0.2));
            store.markStarted(local);
        }
        try (RunStore store = RunStore.open(dataDir)) {
            RunRecord r = store.find(remote).orElseThrow();
            assertEquals(RunStatus.RUNNING, r.status(), "its node may still train it");
            assertEquals(1, r.epoch());
            assertEquals(ON_A, r.placement());
            assertEquals(RunStatus.INTERRUPTED, store.find(local).orElseThrow().status());
        }
    }

    @Test
    void aLostRunIsInterruptedBackToItsLastCheckpointAndLosesItsAttempt() throws Exception {
        try (RunStore store = RunStore.open(dataDir)) {
            String id = store.create("r", tiny()).id();
            store.markPlaced(id, ON_A);
            store.recordEpoch(id, epoch(1), new BestEpoch(1, 0.2));
            store.recordEpoch(id, epoch(2), new BestEpoch(2, 0.4));
            RunRecord lost = store.lost(id, "node 10.0.0.6 left the cluster during training").orElseThrow();
            assertEquals(RunStatus.INTERRUPTED, lost.status());
            assertEquals("node 10.0.0.6 left the cluster during training", lost.message());
            assertEquals(0, lost.epoch(), "no checkpoint reached the store: nothing of it is kept");
            assertEquals(List.of(), store.metrics(id));
            assertNull(lost.placement().attempt(), "reports of the attempt that went are refused from now on");
            assertEquals("node-a", lost.placement().node(), "where it was stays shown");
        }
    }

    @Test
    void aFileSentInPartsTakesItsPlaceWholeOnlyWithItsLastPartAndARepeatedPartIsTakenOnce() throws Exception {
        try (RunStore store = RunStore.open(dataDir)) {
            String id = store.create("r", tiny()).id();
            byte[] all = new byte[10];
            Arrays.fill(all, (byte) 7);
            all[9] = 9;
            Path target = store.runDir(id).resolve(RunFiles.WEIGHTS);
            assertFalse(store.writeRunFilePart(id, RunFiles.WEIGHTS, 0, 10, Arrays.copyOfRange(all, 0, 4)));
            assertFalse(Files.exists(target), "not before its last part");
            assertFalse(store.writeRunFilePart(id, RunFiles.WEIGHTS, 0, 10, Arrays.copyOfRange(all, 0, 4)),
                    "the first part again starts over");
            assertFalse(store.writeRunFilePart(id, RunFiles.WEIGHTS, 4, 10, Arrays.copyOfRange(all, 4, 8)));
            assertFalse(store.writeRunFilePart(id, RunFiles.WEIGHTS, 4, 10, Arrays.copyOfRange(all, 4, 8)),
                    "a part sent again (its acknowledgement lost) is taken once");
            assertTrue(store.writeRunFilePart(id, RunFiles.WEIGHTS, 8, 10, Arrays.copyOfRange(all, 8, 10)));
            assertArrayEquals(all, Files.readAllBytes(target));
            assertTrue(store.writeRunFilePart(id, RunFiles.WEIGHTS, 8, 10, Arrays.copyOfRange(all, 8, 10)),
                    "the last part again: whole already");
            assertArrayEquals(all, Files.readAllBytes(target));
            assertTrue(store.find(id).orElseThrow().weights().contains(RunFiles.Weights.FINAL));
        }
    }

    @Test
    void aPartOutOfOrderIsRefusedAndTheFileKeepsItsPlace() throws Exception {
        try (RunStore store = RunStore.open(dataDir)) {
            String id = store.create("r", tiny()).id();
            assertTrue(store.writeRunFilePart(id, RunFiles.BEST, 0, 3, new byte[] {1, 2, 3}));
            assertFalse(store.writeRunFilePart(id, RunFiles.BEST, 0, 6, new byte[] {4, 5, 6}));
            RunStoreException e = assertThrows(RunStoreException.class,
                    () -> store.writeRunFilePart(id, RunFiles.BEST, 5, 6, new byte[] {9}));
            assertTrue(e.getMessage().contains("out of order"), e.getMessage());
            assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(store.runDir(id).resolve(RunFiles.BEST)),
                    "the whole file it had stays until a new one is whole");
        }
    }
}
