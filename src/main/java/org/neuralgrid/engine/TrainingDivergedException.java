package org.neuralgrid.engine;

/** The loss became NaN or infinite; the run stops and its last good checkpoint stays as it was. */
public final class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
