package org.neuralgrid.web;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What {@code GET /metrics} shows Prometheus (its text format): Vert.x's own Micrometer metrics (HTTP requests by
 * route, method and code; event-bus messages; worker pools; JVM memory, GC, threads and CPU) and the dashboard's:
 * <ul>
 * <li>{@code neuralgrid_websocket_clients}: WebSocket clients watching runs;</li>
 * <li>{@code neuralgrid_websocket_dropped_frames_total{kind}}: frames a slow client did not get ({@code progress}
 *     frames skipped, {@code heatmap} frames replaced by a newer one);</li>
 * <li>{@code neuralgrid_event_loop_delay_seconds}: how late a timer on the HTTP event loop fires (count, sum,
 *     max): a blocked event loop shows here first;</li>
 * <li>the training side's meters, named in {@code org.neuralgrid.worker.RunMeters}.</li>
 * </ul>
 * Labels are bounded sets only: no request paths and no per-run event-bus addresses, which would grow a series
 * per run forever.
 */
public final class ServerMetrics {
    /** How often the event-loop probe fires. */
    static final long PROBE_MILLIS = 250;
    private static final AtomicInteger NUMBER = new AtomicInteger();
    private static final EnumSet<Label> LABELS = EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE,
            Label.POOL_TYPE, Label.POOL_NAME, Label.EB_SIDE, Label.EB_FAILURE);

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private Timer eventLoopDelay;

    ServerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A registry that Prometheus can scrape. */
    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /** A Vert.x instance whose own metrics (HTTP, event bus, pools, JVM) go to {@code registry}. */
    public static Vertx vertx(MeterRegistry registry) {
        return vertx(registry, new VertxOptions());
    }

    /** The same, with other options of the instance. */
    public static Vertx vertx(MeterRegistry registry, VertxOptions options) {
        return builder(registry, options).build();
    }

    /** A builder of such an instance, for a clustered one ({@code withClusterManager(...).buildClustered()}). */
    public static VertxBuilder builder(MeterRegistry registry, VertxOptions options) {
        MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
                .setEnabled(true)
                .setJvmMetricsEnabled(true)
                .setLabels(LABELS)
                // Vert.x keeps registries by name for the whole JVM: one of its own for each instance
                .setRegistryName("neuralgrid-" + NUMBER.incrementAndGet());
        return Vertx.builder().with(new VertxOptions(options).setMetricsOptions(metrics))
                .withMetrics(new MicrometerMetricsFactory(registry));
    }

    /** The handler of /metrics: the text format when the registry is Prometheus's, else a 404 saying so. */
    Handler<RoutingContext> endpoint() {
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            return PrometheusScrapingHandler.create(prometheus);
        }
        return rc -> Replies.error(rc, ApiError.notFound("this server keeps no Prometheus metrics"));
    }

    /** The WebSocket meters, read from {@code stream} at each scrape. */
    void watch(RunStream stream) {
        meters.add(Gauge.builder("neuralgrid.websocket.clients", stream, RunStream::viewerCount)
                .description("WebSocket clients watching runs").register(registry));
        meters.add(FunctionCounter.builder("neuralgrid.websocket.dropped.frames", stream, RunStream::droppedProgress)
                .tag("kind", "progress").description("Frames a slow WebSocket client did not get")
                .register(registry));
        meters.add(FunctionCounter.builder("neuralgrid.websocket.dropped.frames", stream, RunStream::droppedHeatmaps)
                .tag("kind", "heatmap").description("Frames a slow WebSocket client did not get")
                .register(registry));
    }

    /**
     * Probes the calling verticle's event loop: a periodic timer records how late it fires. Returns the timer's
     * id, to cancel on stop.
     */
    long probe(Vertx vertx) {
        eventLoopDelay = Timer.builder("neuralgrid.event.loop.delay")
                .description("How late a " + PROBE_MILLIS + " ms timer fires on the HTTP event loop")
                .register(registry);
        meters.add(eventLoopDelay);
        long[] due = {System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROBE_MILLIS)};
        return vertx.setPeriodic(PROBE_MILLIS, id -> {
            long now = System.nanoTime();
            eventLoopDelay.record(Duration.ofNanos(Math.max(0, now - due[0])));
            due[0] = now + TimeUnit.MILLISECONDS.toNanos(PROBE_MILLIS);
        });
    }

    /** Takes the dashboard's meters out of the registry (a restarted HTTP side registers its own). */
    void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
