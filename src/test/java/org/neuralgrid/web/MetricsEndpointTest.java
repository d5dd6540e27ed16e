package org.neuralgrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.ext.web.client.HttpResponse;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} speaks Prometheus's text format: the runs by status, the queue, each running run's epoch
 * and speed, WebSocket clients, dropped frames and the event loop's delay beside Vert.x's HTTP and JVM metrics;
 * behind the token like the API.
 */
class MetricsEndpointTest extends DashboardTestBase {
    private PrometheusMeterRegistry registry;

    @Override
    Vertx newVertx(VertxOptions strict) {
        registry = ServerMetrics.newRegistry();
        return ServerMetrics.vertx(registry, strict);
    }

    @Override
    MeterRegistry registry() {
        return registry;
    }

    @Test
    void theTextFormatHoldsTheDashboardsVertxAndJvmMetrics() {
        start();
        get("/api/runs");
        HttpResponse<Buffer> r = get("/metrics");
        assertEquals(200, r.statusCode(), r.bodyAsString());
        assertTrue(r.getHeader("Content-Type").startsWith("text/plain"), r.getHeader("Content-Type"));
        String text = r.bodyAsString();
        for (String status : new String[] {"queued", "running", "completed", "failed", "cancelled", "interrupted"}) {
            assertEquals(0, value(text, "neuralgrid_runs{status=\"" + status + "\"}").orElseThrow(), status);
        }
        assertEquals(0, value(text, "neuralgrid_queue_length").orElseThrow());
        assertEquals(0, value(text, "neuralgrid_websocket_clients").orElseThrow());
        assertTrue(value(text, "neuralgrid_websocket_dropped_frames_total{kind=\"progress\"}").isPresent(), text);
        assertTrue(value(text, "neuralgrid_websocket_dropped_frames_total{kind=\"heatmap\"}").isPresent(), text);
        assertTrue(text.contains("neuralgrid_event_loop_delay_seconds_count"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("vertx_http_server_requests_total{")
                && l.contains("route=\"/api/>/runs\"") && l.contains("code=\"200\"")), "HTTP by route:\n" + text);
        assertTrue(text.contains("jvm_memory_used_bytes"), "JVM metrics");
        assertFalse(text.contains("neuralgrid.run."), "no event-bus address of a run is a label");
    }

    @Test
    void countsFollowTheRunsAndARunningRunHasItsOwnEpochAndSpeed() {
        start();
        String done = createRun(tiny());
        awaitStatus(done, "completed");
        String text = metrics();
        assertEquals(1, value(text, "neuralgrid_runs{status=\"completed\"}").orElseThrow());
        assertEquals(3, value(text, "neuralgrid_epochs_total").orElseThrow(), "three epochs finished");

        String training = createRun(endless());
        String waiting = createRun(tiny());
        awaitMetric("the running run's speed", "neuralgrid_run_samples_per_second{run=\"" + training + "\"}",
                v -> v > 0);
        text = metrics();
        assertEquals(1, value(text, "neuralgrid_runs{status=\"running\"}").orElseThrow());
        assertEquals(1, value(text, "neuralgrid_runs{status=\"queued\"}").orElseThrow());
        assertEquals(1, value(text, "neuralgrid_queue_length").orElseThrow(), waiting + " waits");
        assertTrue(value(text, "neuralgrid_run_epoch{run=\"" + training + "\"}").isPresent(), text);
        assertFalse(value(text, "neuralgrid_run_epoch{run=\"" + done + "\"}").isPresent(), "only running runs");

        assertEquals(200, post("/api/runs/" + training + "/cancel").statusCode());
        awaitStatus(waiting, "completed");
        awaitMetric("the cancelled run's gauges gone", "neuralgrid_runs{status=\"cancelled\"}", v -> v == 1);
        text = metrics();
        assertFalse(value(text, "neuralgrid_run_epoch{run=\"" + training + "\"}").isPresent(), text);
        assertEquals(2, value(text, "neuralgrid_runs{status=\"completed\"}").orElseThrow());
        assertEquals(0, value(text, "neuralgrid_queue_length").orElseThrow());
    }

    @Test
    void webSocketClientsAreCounted() {
        start();
        String id = createRun(tiny());
        awaitStatus(id, "completed");
        WebSocket ws = await(webSockets().connect(dashboard.port(), "127.0.0.1", "/ws/runs/" + id));
        awaitMetric("one client", "neuralgrid_websocket_clients", v -> v == 1);
        await(ws.close());
        awaitMetric("no client", "neuralgrid_websocket_clients", v -> v == 0);
    }

    @Test
    void withATokenMetricsNeedIt() {
        start(new ServerOptions("127.0.0.1", 0, dataDir, TokenTest.TOKEN, 1));
        assertEquals(401, get("/metrics").statusCode());
        HttpResponse<Buffer> r = await(client.get("/metrics").bearerTokenAuthentication(TokenTest.TOKEN).send());
        assertEquals(200, r.statusCode());
        assertTrue(r.bodyAsString().contains("neuralgrid_queue_length"));
    }

    @Test
    void aStoppedDashboardLeavesNoMetersBehindAndANewOneCountsAfresh() {
        start();
        awaitStatus(createRun(tiny()), "completed");
        stop();
        assertFalse(registry.scrape().contains("neuralgrid_runs"), "the stopped dashboard's meters are gone");
        start();
        assertEquals(1, value(metrics(), "neuralgrid_runs{status=\"completed\"}").orElseThrow(),
                "the store's count, read at the start");
    }

    private String metrics() {
        HttpResponse<Buffer> r = get("/metrics");
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return r.bodyAsString();
    }

    private void awaitMetric(String what, String series, DoublePredicate wanted) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
        OptionalDouble last = OptionalDouble.empty();
        while (System.nanoTime() < deadline) {
            last = value(metrics(), series);
            if (last.isPresent() && wanted.test(last.getAsDouble())) {
                return;
            }
            sleep(50);
        }
        fail(what + ": " + series + " was " + last);
    }

    /** The value of one series (name with its labels exactly as written), if the text has it. */
    static OptionalDouble value(String text, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
    }
}
