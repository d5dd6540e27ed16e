package org.neuralgrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.neuralgrid.bus.RunBus;
import org.neuralgrid.io.HeatmapFrame;
import org.neuralgrid.io.MapKind;

/**
 * A sweep's maps are stored for every run but streamed only to watchers: with eight runs training and one page
 * watching one of them, the web side receives heatmap frames for that run alone.
 */
class SweepStreamingTest extends DashboardTestBase {

    @Test
    void aSweepOfEightRunsStreamsHeatmapsOnlyForTheRunAPageWatches() {
        start(new ServerOptions("127.0.0.1", 0, dataDir, null, 8));
        Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
        vertx.eventBus().addInboundInterceptor(dc -> {
            String address = dc.message().address();
            if (address.startsWith("neuralgrid.run.") && address.endsWith(".heatmap")) { // streams, not requests
                delivered.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
            }
            dc.next();
        });
        JsonObject spec = new JsonObject().put("base", tiny().put("epochs", 4))
                .put("sweep", new JsonObject().put("kernel", new JsonArray().add(3).add(5)))
                .put("seeds", 4);
        String sweep = post("/api/sweeps", spec).bodyAsJsonObject().getString("id");
        List<String> runs = get("/api/sweeps/" + sweep).bodyAsJsonObject().getJsonArray("runs").stream()
                .map(r -> ((JsonObject) r).getString("id")).toList();
        String watched = runs.get(5);
        AtomicInteger frames = new AtomicInteger();
        WebSocket ws = watch(watched);
        ws.binaryMessageHandler(b -> frames.incrementAndGet());

        runs.forEach(id -> awaitStatus(id, "completed"));
        ws.close();

        assertEquals(Map.of(RunBus.heatmaps(watched), delivered.get(RunBus.heatmaps(watched))), Map.copyOf(
                delivered), "heatmap frames reached the web side only for the watched run");
        assertTrue(frames.get() >= MapKind.values().length, "the page got its run's frames: " + frames);
        for (String id : runs) {
            HeatmapFrame last = HeatmapFrame.decode(get("/api/runs/" + id + "/heatmaps/4").body().getBytes());
            assertEquals(4, last.epoch(), "every run's maps are stored");
        }
    }

    /** A page's socket on the run. */
    private WebSocket watch(String run) {
        return await(webSockets().connect(dashboard.port(), "127.0.0.1", "/ws/runs/" + run));
    }
}
