package org.neuralgrid.worker;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import org.neuralgrid.bus.HeatmapFrame;
import org.neuralgrid.bus.RunBus;
import org.neuralgrid.engine.ActivationMaps;
import org.neuralgrid.engine.EpochMetrics;
import org.neuralgrid.engine.TrainingListener;
import org.neuralgrid.engine.TrainingProgress;
import org.neuralgrid.store.RunStore;

/**
 * Watches one run on its training thread: records epochs and heatmaps in the store and publishes them, with
 * the progress reports, as the events of {@link RunBus}. ({@link EventBus#publish} may be called from any thread.)
 */
final class RunEventListener implements TrainingListener {
    private final String id;
    private final RunStore store;
    private final EventBus bus;

    RunEventListener(String id, RunStore store, EventBus bus) {
        this.id = id;
        this.store = store;
        this.bus = bus;
    }

    @Override
    public void onProgress(TrainingProgress progress) {
        bus.publish(RunBus.events(id), RunMessages.progressEvent(progress));
    }

    @Override
    public void onEpoch(EpochMetrics metrics) {
        var run = store.recordEpoch(id, metrics);
        bus.publish(RunBus.events(id), RunMessages.epochEvent(metrics));
        run.ifPresent(r -> bus.publish(RunBus.CHANGED, RunMessages.summary(r)));
    }

    @Override
    public void onActivationMaps(ActivationMaps maps) {
        HeatmapFrame frame = HeatmapFrame.quantise(maps.epoch(), maps.sheets() ? 3 : 2, maps.classes(), maps.layers(), maps.rows(),
                maps.cols(), maps.values());
        store.writeHeatmap(id, frame);
        bus.publish(RunBus.heatmaps(id), Buffer.buffer(frame.encode()));
    }
}
