package org.neuralgrid.engine;

import java.util.List;

/** Several listeners as one. */
public final class TrainingListeners implements TrainingListener {
    private final List<TrainingListener> all;

    public TrainingListeners(TrainingListener... all) {
        this.all = List.of(all);
    }

    @Override
    public void onStart(int firstEpoch, int epochs, String backend, String device) {
        all.forEach(l -> l.onStart(firstEpoch, epochs, backend, device));
    }

    @Override
    public void onProgress(TrainingProgress p) {
        all.forEach(l -> l.onProgress(p));
    }

    @Override
    public void onEpoch(EpochMetrics m, BestEpoch best) {
        all.forEach(l -> l.onEpoch(m, best));
    }

    @Override
    public void onActivationMaps(ActivationMaps maps) {
        all.forEach(l -> l.onActivationMaps(maps));
    }
}
