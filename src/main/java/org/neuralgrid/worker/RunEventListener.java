package org.neuralgrid.worker;

import org.neuralgrid.io.HeatmapFrame;
import org.neuralgrid.engine.ActivationMaps;
import org.neuralgrid.engine.BestEpoch;
import org.neuralgrid.engine.EpochMetrics;
import org.neuralgrid.engine.TrainingListener;
import org.neuralgrid.engine.TrainingProgress;
import org.neuralgrid.store.RunStore;

/**
 * Watches one run on its training thread: records epochs and heatmaps in the store and publishes them, with the
 * progress reports, through {@link RunEvents}; keeps the run's meters ({@link RunMeters}) current.
 */
final class RunEventListener implements TrainingListener {
    private final String id;
    private final RunStore store;
    private final RunEvents events;
    private final RunMeters meters;

    RunEventListener(String id, RunStore store, RunEvents events, RunMeters meters) {
        this.id = id;
        this.store = store;
        this.events = events;
        this.meters = meters;
    }

    @Override
    public void onProgress(TrainingProgress progress) {
        events.progress(id, progress);
        meters.progress(id, progress);
    }

    @Override
    public void onEpoch(EpochMetrics metrics, BestEpoch best) {
        var run = store.recordEpoch(id, metrics, best);
        events.epoch(id, metrics);
        meters.epoch(id, metrics);
        run.ifPresent(events::summaryChanged);
    }

    @Override
    public void onActivationMaps(ActivationMaps maps) {
        HeatmapFrame frame = maps.frame();
        store.writeHeatmap(id, frame);
        events.heatmap(id, frame);
    }
}
