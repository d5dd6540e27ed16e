package org.neuralgrid.engine;

/** Someone asked the run to stop. */
public final class TrainingCancelledException extends RuntimeException {
    public TrainingCancelledException(int epoch) {
        super("cancelled during epoch " + epoch);
    }
}
