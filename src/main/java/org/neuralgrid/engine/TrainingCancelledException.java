package org.neuralgrid.engine;

/** Someone asked the run to stop. */
public final class TrainingCancelledException extends RuntimeException {
    private final int epoch;

    public TrainingCancelledException(int epoch) {
        super("cancelled during epoch " + epoch);
        this.epoch = epoch;
    }

    public int epoch() {
        return epoch;
    }
}
