package org.neuralgrid.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.neuralgrid.bus.RunStatus;
import org.neuralgrid.engine.EpochMetrics;
import org.neuralgrid.engine.TrainingProgress;

/**
 * The training side's meters, as Prometheus reads them from /metrics:
 * <ul>
 * <li>{@code neuralgrid_runs{status}}: stored runs by status;</li>
 * <li>{@code neuralgrid_queue_length}: runs waiting for a training slot;</li>
 * <li>{@code neuralgrid_run_epoch{run}}: the finished epochs of each running run;</li>
 * <li>{@code neuralgrid_run_samples_per_second{run}}: its training speed, over the epoch so far;</li>
 * <li>{@code neuralgrid_epochs_total}: epochs finished by all runs since the start.</li>
 * </ul>
 * A scrape only reads numbers kept here (never the store), so it costs the scraping thread nothing. A run's own
 * gauges go when its job ends, so a server that trained thousands of runs keeps only the running ones' series.
 */
final class RunMeters implements AutoCloseable {
    private final MeterRegistry registry;
    private final Map<RunStatus, AtomicInteger> byStatus = new EnumMap<>(RunStatus.class);
    private final AtomicInteger queueLength = new AtomicInteger();
    private final Map<String, Training> training = new ConcurrentHashMap<>();
    private final List<Meter> meters = new ArrayList<>();
    private final Counter epochs;

    RunMeters(MeterRegistry registry) {
        this.registry = registry;
        for (RunStatus s : RunStatus.values()) {
            AtomicInteger count = new AtomicInteger();
            byStatus.put(s, count);
            meters.add(Gauge.builder("neuralgrid.runs", count, AtomicInteger::get).tag("status", s.id())
                    .description("Stored runs by status").register(registry));
        }
        meters.add(Gauge.builder("neuralgrid.queue.length", queueLength, AtomicInteger::get)
                .description("Runs waiting for a training slot").register(registry));
        epochs = Counter.builder("neuralgrid.epochs").description("Epochs finished by all runs").register(registry);
        meters.add(epochs);
    }

    /** The store's counts and the queue, after any change of status. */
    void counted(Map<RunStatus, Integer> counts, int queued) {
        counts.forEach((status, n) -> byStatus.get(status).set(n));
        queueLength.set(queued);
    }

    /** A run's job started, {@code epoch} epochs already behind it: its gauges appear. */
    void started(String id, int batchSize, int epoch) {
        training.computeIfAbsent(id, k -> new Training(k, batchSize)).epoch = epoch;
    }

    void progress(String id, TrainingProgress p) {
        Training t = training.get(id);
        if (t != null && p.elapsedSeconds() > 0) {
            t.samplesPerSecond = (double) p.batch() * t.batchSize / p.elapsedSeconds();
        }
    }

    void epoch(String id, EpochMetrics m) {
        epochs.increment();
        Training t = training.get(id);
        if (t != null) {
            t.epoch = m.epoch();
            t.samplesPerSecond = m.samplesPerSecond();
        }
    }

    /** A run's job ended: its gauges go. */
    void ended(String id) {
        Training t = training.remove(id);
        if (t != null) {
            t.remove();
        }
    }

    /** Takes every meter of this training side out of the registry (the next start registers its own). */
    @Override
    public void close() {
        List.copyOf(training.keySet()).forEach(this::ended);
        meters.forEach(registry::remove);
        meters.clear();
    }

    /** One running run's gauges. */
    private final class Training {
        final int batchSize;
        volatile int epoch;
        volatile double samplesPerSecond;
        final List<Meter> own = new ArrayList<>();

        Training(String id, int batchSize) {
            this.batchSize = batchSize;
            own.add(Gauge.builder("neuralgrid.run.epoch", this, t -> t.epoch).tag("run", id)
                    .description("Finished epochs of a running run").register(registry));
            own.add(Gauge.builder("neuralgrid.run.samples.per.second", this, t -> t.samplesPerSecond).tag("run", id)
                    .description("Training samples per second of a running run, over its current epoch")
                    .register(registry));
        }

        void remove() {
            own.forEach(registry::remove);
        }
    }
}
