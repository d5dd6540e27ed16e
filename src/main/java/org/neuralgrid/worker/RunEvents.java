package org.neuralgrid.worker;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import org.neuralgrid.io.HeatmapFrame;
import org.neuralgrid.bus.RunBus;
import org.neuralgrid.engine.EpochMetrics;
import org.neuralgrid.engine.TrainingProgress;
import org.neuralgrid.store.RunRecord;

/**
 * Publishes what happens to runs as the events of {@link RunBus}: whoever changes a run's summary says so here,
 * so the run's page and the runs list learn every change from one place. Safe from any thread
 * ({@link EventBus#publish} is).
 */
final class RunEvents {
    private final EventBus bus;

    RunEvents(EventBus bus) {
        this.bus = bus;
    }

    /** The run's status changed: a status event on its address, its summary on {@link RunBus#CHANGED}. */
    void statusChanged(RunRecord run) {
        bus.publish(RunBus.events(run.id()), RunMessages.statusEvent(run));
        bus.publish(RunBus.CHANGED, RunMessages.summary(run));
    }

    /** Something else in the summary changed (device, epoch, best accuracy). */
    void summaryChanged(RunRecord run) {
        bus.publish(RunBus.events(run.id()), RunMessages.summaryEvent(run));
        bus.publish(RunBus.CHANGED, RunMessages.summary(run));
    }

    void progress(String id, TrainingProgress progress) {
        bus.publish(RunBus.events(id), RunMessages.progressEvent(progress));
    }

    void epoch(String id, EpochMetrics metrics) {
        bus.publish(RunBus.events(id), RunMessages.epochEvent(metrics));
    }

    void heatmap(String id, HeatmapFrame frame) {
        bus.publish(RunBus.heatmaps(id), Buffer.buffer(frame.encode()));
    }

    void datasetProgress(io.vertx.core.json.JsonObject progress) {
        bus.publish(RunBus.DATASET_PROGRESS, progress);
    }
}
