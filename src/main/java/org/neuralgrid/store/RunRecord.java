package org.neuralgrid.store;

import java.time.Instant;
import java.util.Set;
import org.neuralgrid.bus.RunStatus;
import org.neuralgrid.engine.RunFiles;
import org.neuralgrid.model.RunConfig;

/**
 * One run as the store keeps it.
 *
 * @param id               12 lower-case hex digits
 * @param epoch            the last finished epoch (0 before the first)
 * @param epochs           the epochs the run is configured for
 * @param bestEpoch        the best epoch (chosen on validation, or on test without a validation set), or null
 *                         before the first
 * @param bestTestAccuracy the test accuracy of the best epoch, 0..1, or null before the first
 * @param backend          the backend asked for until training starts, then the one in use
 * @param device           the device in words, or null before training starts
 * @param message          why a run failed or stopped, or null
 * @param weights          the weights files the run has written so far
 * @param sweep            the sweep the run belongs to, or null
 * @param point            its sweep point as a JSON object {field: value} (in the sweep's order), or null
 * @param placement        the cluster node it was last handed to, or null for a run of this node's own
 */
public record RunRecord(String id, String name, RunStatus status, RunConfig config, int epoch, int epochs,
                        Integer bestEpoch, Double bestTestAccuracy, String backend, String device, String message,
                        Instant created, Instant started, Instant finished, Set<RunFiles.Weights> weights,
                        String sweep, String point, Placement placement) {

    public RunRecord {
        weights = Set.copyOf(weights);
    }

    /**
     * Where a dashboard node handed the run: the node's id and address, and the attempt (a new one each time the run
     * is handed out), so that reports of an earlier attempt, from a node thought gone, are refused.
     */
    public record Placement(String node, String host, String attempt) {
    }

    /** Whether a node of the cluster trains (or trained) the run, rather than this process. */
    public boolean remote() {
        return placement != null;
    }

    /** How far the run is, 0..1 over all its epochs. */
    public double progress() {
        if (status == RunStatus.COMPLETED) {
            return 1;
        }
        return epochs <= 0 ? 0 : Math.min(1, (double) epoch / epochs);
    }
}
