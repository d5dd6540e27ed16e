package org.neuralgrid.store;

import java.time.Instant;
import org.neuralgrid.model.SweepSpec;

/**
 * One sweep as the store keeps it: its spec (as validated when it started) and when it was made. Its runs are
 * ordinary {@link RunRecord}s that name it ({@link RunRecord#sweep()}); what the sweep is doing follows from them.
 *
 * @param id   12 lower-case hex digits, like a run's
 * @param name the name given, or one made from the swept fields
 */
public record SweepRecord(String id, String name, SweepSpec spec, Instant created) {
}
