package org.neuralgrid.engine;

/** Watches a training run: the CLI's progress bar, the dashboard's event stream, tests. */
public interface TrainingListener {
    default void onStart(int firstEpoch, int epochs, String backend, String device) {
    }

    default void onProgress(TrainingProgress progress) {
    }

    /** An epoch ended; {@code best} is the best epoch so far (this one when it improved on the others). */
    default void onEpoch(EpochMetrics metrics, BestEpoch best) {
    }

    default void onActivationMaps(ActivationMaps maps) {
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
