package org.neuralgrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neuralgrid.io.HeatmapFrame;
import org.neuralgrid.io.MapKind;
import org.neuralgrid.bus.RunBus;

/**
 * The WebSocket of a run: snapshot, live frames of every map kind, and clients that read slowly or not at all.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class RunStreamTest extends DashboardTestBase {

    private WebSocket connect(String runId) {
        return connect(runId, ws -> { });
    }

    /**
     * Connects and sets up the socket's handlers on its own event loop as the connection completes, before the
     * server's first frames can be delivered (set from the test thread after await, they could miss them).
     */
    private WebSocket connect(String runId, java.util.function.Consumer<WebSocket> handlers) {
        return await(webSockets().connect(dashboard.port(), "127.0.0.1", "/ws/runs/" + runId)
                .onSuccess(handlers::accept));
    }

    @Test
    void aLiveClientGetsTheStateThenStatusEpochAndHeatmapFrames(VertxTestContext ctx) {
        start();
        String blocker = createRun(endless());
        awaitStatus(blocker, "running");
        String id = createRun(tiny()); // waits behind the blocker, so the client sees it start
        List<String> seen = new ArrayList<>();
        Checkpoint state = ctx.checkpoint();
        Checkpoint epochs = ctx.checkpoint(3);
        Checkpoint heatmaps = ctx.laxCheckpoint(3); // epoch 0 (before training), then one an epoch
        Checkpoint completed = ctx.checkpoint();

        webSockets().connect(dashboard.port(), "127.0.0.1", "/ws/runs/" + id).onComplete(ctx.succeeding(ws -> {
            ws.textMessageHandler(text -> {
                JsonObject m = new JsonObject(text);
                String type = m.getString("type");
                switch (type) {
                    case "state" -> ctx.verify(() -> {
                        assertTrue(seen.isEmpty(), "the state comes first: " + seen);
                        assertEquals(id, m.getJsonObject("run").getString("id"));
                        assertEquals("queued", m.getJsonObject("run").getString("status"));
                        assertEquals(16, m.getJsonObject("run").getJsonObject("config").getInteger("height"));
                        assertEquals(0, m.getJsonArray("epochs").size());
                        seen.add("state");
                        state.flag();
                        client.post("/api/runs/" + blocker + "/cancel").send();
                    });
                    case "epoch" -> ctx.verify(() -> {
                        seen.add("epoch " + m.getInteger("epoch"));
                        assertTrue(m.getDouble("trainLoss") > 0, text);
                        epochs.flag();
                    });
                    case "status" -> ctx.verify(() -> {
                        seen.add(m.getString("status"));
                        if ("completed".equals(m.getString("status"))) {
                            assertEquals(List.of("state", "running", "epoch 1", "epoch 2", "epoch 3", "completed"),
                                    seen.stream().filter(s -> !s.startsWith("heatmap")).toList());
                            assertTrue(seen.contains("heatmap 3"), seen.toString());
                            completed.flag();
                        }
                    });
                    case "progress" -> ctx.verify(() -> assertTrue(m.getInteger("batches") > 0, text));
                    case "summary" -> ctx.verify(() -> assertEquals(id, m.getString("id")));
                    default -> ctx.failNow("unexpected frame " + text);
                }
            });
            ws.binaryMessageHandler(bytes -> ctx.verify(() -> {
                HeatmapFrame frame = HeatmapFrame.decode(bytes.getBytes());
                assertEquals(frame.kind().maps(), frame.classes());
                assertEquals(1, frame.layers());
                assertEquals(16, frame.rows());
                assertEquals(8, frame.cols());
                seen.add("heatmap " + frame.epoch());
                heatmaps.flag();
            }));
        }));
    }

    @Test
    void theSummaryOnTheStreamFollowsTheRunFromAutoToTheDeviceItTrainsOn(VertxTestContext ctx) {
        start();
        String blocker = createRun(endless());
        awaitStatus(blocker, "running");
        String id = createRun(tiny().put("backend", "auto"));
        Checkpoint queuedAsAuto = ctx.checkpoint();
        Checkpoint deviceKnown = ctx.checkpoint();

        webSockets().connect(dashboard.port(), "127.0.0.1", "/ws/runs/" + id).onComplete(ctx.succeeding(ws -> {
            ws.textMessageHandler(text -> ctx.verify(() -> {
                JsonObject m = new JsonObject(text);
                if ("state".equals(m.getString("type"))) {
                    assertEquals("auto", m.getJsonObject("run").getString("backend"));
                    assertEquals(null, m.getJsonObject("run").getString("device"));
                    queuedAsAuto.flag();
                    client.post("/api/runs/" + blocker + "/cancel").send();
                } else if ("summary".equals(m.getString("type")) && m.getString("device") != null
                        && m.getInteger("epoch") == 0) {
                    assertEquals("java", m.getString("backend"), "auto chose the Java backend here");
                    assertEquals("running", m.getString("status"));
                    deviceKnown.flag();
                }
            }));
            ws.binaryMessageHandler(bytes -> { });
        }));
    }

    @Test
    void aViewerGetsAFrameOfEveryKindForEveryEpoch() {
        start();
        String blocker = createRun(endless());
        awaitStatus(blocker, "running");
        String id = createRun(tiny()); // waits behind the blocker, so the client sees every epoch's frames
        Set<String> frames = Collections.synchronizedSet(new TreeSet<>());
        Promise<Void> completed = Promise.promise();
        connect(id, ws -> ws.binaryMessageHandler(bytes -> {
            HeatmapFrame frame = HeatmapFrame.decode(bytes.getBytes());
            assertEquals(frame.kind().maps(), frame.classes());
            frames.add(frame.epoch() + " " + frame.kind().id());
        }).textMessageHandler(text -> {
            JsonObject m = new JsonObject(text);
            if ("status".equals(m.getString("type")) && "completed".equals(m.getString("status"))) {
                completed.tryComplete();
            }
        }));
        assertEquals(200, post("/api/runs/" + blocker + "/cancel").statusCode());
        await(completed.future());
        Set<String> expected = new TreeSet<>();
        for (int epoch = 0; epoch <= 3; epoch++) {
            for (MapKind kind : MapKind.values()) {
                expected.add(epoch + " " + kind.id());
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!frames.containsAll(expected) && System.nanoTime() < deadline) {
            sleep(20);
        }
        synchronized (frames) {
            assertEquals(expected, frames);
        }
    }

    @Test
    void aClientThatComesAfterTheRunGetsTheStateAndTheNewestHeatmapOfEachKind(VertxTestContext ctx) {
        start();
        String id = createRun(tiny());
        awaitStatus(id, "completed");
        Checkpoint state = ctx.checkpoint();
        Checkpoint heatmap = ctx.checkpoint(MapKind.values().length);
        List<MapKind> kinds = new ArrayList<>();

        webSockets().connect(dashboard.port(), "127.0.0.1", "/ws/runs/" + id).onComplete(ctx.succeeding(ws -> {
            ws.textMessageHandler(text -> ctx.verify(() -> {
                JsonObject m = new JsonObject(text);
                assertEquals("state", m.getString("type"));
                assertEquals("completed", m.getJsonObject("run").getString("status"));
                assertEquals(3, m.getJsonArray("epochs").size());
                assertEquals(3, m.getJsonArray("epochs").getJsonObject(2).getInteger("epoch"));
                state.flag();
            }));
            ws.binaryMessageHandler(bytes -> ctx.verify(() -> {
                HeatmapFrame frame = HeatmapFrame.decode(bytes.getBytes());
                assertEquals(3, frame.epoch());
                assertEquals(frame.kind().maps() * 16 * 8, frame.cells().length);
                kinds.add(frame.kind());
                assertEquals(List.of(MapKind.values()).subList(0, kinds.size()), kinds, "each kind once, in order");
                heatmap.flag();
            }));
        }));
    }

    @Test
    void aClientThatStopsReadingDoesNotHoldUpTrainingOrTheServer() {
        start();
        String blocker = createRun(endless());
        awaitStatus(blocker, "running");
        // a taller grid: 20 kB heatmaps every epoch
        String id = createRun(tiny().put("height", 128).put("width", 16).put("epochs", 4));
        Promise<JsonObject> completedSeen = Promise.promise();
        WebSocket ws = connect(id, socket -> {
            socket.textMessageHandler(text -> {
                JsonObject m = new JsonObject(text);
                if ("status".equals(m.getString("type")) && "completed".equals(m.getString("status"))) {
                    completedSeen.tryComplete(m);
                }
            });
            socket.binaryMessageHandler(bytes -> { });
            socket.pause();
        });

        assertEquals(200, post("/api/runs/" + blocker + "/cancel").statusCode());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
        String status = "";
        while (!status.equals("completed") && System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            assertEquals(200, get("/health").statusCode());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms < 1000, "/health took " + ms + " ms");
            status = get("/api/runs/" + id).bodyAsJsonObject().getString("status");
            sleep(50);
        }
        assertEquals("completed", status, "the run finished while its client read nothing");

        ws.resume();
        assertEquals(id, await(completedSeen.future()).getString("id"), "the paused client still gets the end");
    }

    @Test
    void aBurstToAPausedClientKeepsOnlyTheNewestHeatmapAndDropsProgressButNotStatus() {
        start();
        String id = createRun(tiny());
        awaitStatus(id, "completed");
        Promise<Void> caughtUp = Promise.promise();
        Promise<Void> marker = Promise.promise();
        List<Integer> heatmapEpochs = new ArrayList<>();
        AtomicInteger progress = new AtomicInteger();
        WebSocket ws = connect(id, socket -> socket.binaryMessageHandler(bytes -> {
            int epoch = HeatmapFrame.decode(bytes.getBytes()).epoch();
            synchronized (heatmapEpochs) {
                heatmapEpochs.add(epoch);
            }
            if (epoch == 3) {
                caughtUp.tryComplete();
            }
        }).textMessageHandler(text -> {
            JsonObject m = new JsonObject(text);
            if ("progress".equals(m.getString("type"))) {
                progress.incrementAndGet();
            } else if ("status".equals(m.getString("type")) && m.getBoolean("marker", false)) {
                marker.tryComplete();
            }
        }));
        await(caughtUp.future());
        ws.pause();

        // 100 frames of 1 MB (cell for cell: no side over 512): far more than the socket buffers hold
        EventBus bus = vertx.eventBus();
        int frames = 100;
        float[] values = new float[10 * 500 * 200];
        for (int i = 0; i < frames; i++) {
            values[i] = i;
            bus.publish(RunBus.heatmaps(id),
                    Buffer.buffer(HeatmapFrame.quantise(1000 + i, 10, 1, 500, 200, values).encode()));
        }
        int progressEvents = 500;
        for (int i = 0; i < progressEvents; i++) {
            bus.publish(RunBus.events(id), new JsonObject().put("type", "progress").put("epoch", 4).put("batch", i)
                    .put("batches", progressEvents));
        }
        bus.publish(RunBus.events(id), new JsonObject().put("type", "status").put("id", id).put("marker", true));
        sleep(1000);
        ws.resume();
        await(marker.future());
        sleep(200);

        List<Integer> epochs;
        synchronized (heatmapEpochs) {
            epochs = List.copyOf(heatmapEpochs);
        }
        int received = epochs.size() - 1;
        assertTrue(received < frames / 2, "heatmaps were held back and replaced, got " + received + " of " + frames);
        assertEquals(1000 + frames - 1, epochs.get(epochs.size() - 1), "the newest heatmap arrives last");
        assertTrue(progress.get() < progressEvents, "progress frames were dropped, got " + progress.get());
        assertEquals(200, get("/health").statusCode());
    }

    @Test
    void aPausedClientIsHeldTheNewestHeatmapOfEachKindNotJustTheLastOnePublished() {
        start();
        String id = createRun(tiny());
        awaitStatus(id, "completed");
        int rounds = 40;
        int newest = 1000 + rounds - 1;
        Map<MapKind, List<Integer>> received = new EnumMap<>(MapKind.class);
        Promise<Void> snapshot = Promise.promise();
        WebSocket ws = connect(id, socket -> socket.binaryMessageHandler(bytes -> {
            HeatmapFrame frame = HeatmapFrame.decode(bytes.getBytes());
            synchronized (received) {
                received.computeIfAbsent(frame.kind(), k -> new ArrayList<>()).add(frame.epoch());
                if (received.size() == 5 && received.values().stream().allMatch(e -> e.contains(3))) {
                    snapshot.tryComplete();
                }
            }
        }));
        await(snapshot.future());
        synchronized (received) {
            received.clear();
        }
        ws.pause();

        // rounds of the five kinds as training publishes them, 1.6 MB a round: far more than the socket buffers hold
        EventBus bus = vertx.eventBus();
        for (int i = 0; i < rounds; i++) {
            for (MapKind kind : MapKind.values()) {
                float[] values = new float[kind.maps() * 250 * 200];
                values[i] = i;
                bus.publish(RunBus.heatmaps(id), Buffer.buffer(
                        HeatmapFrame.quantise(kind, 1000 + i, 2, kind.maps(), 1, 250, 200, values).encode()));
            }
        }
        sleep(1000);
        ws.resume();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!newestOfEveryKind(received, newest) && System.nanoTime() < deadline) {
            sleep(50);
        }
        sleep(200);

        synchronized (received) {
            for (MapKind kind : MapKind.values()) {
                List<Integer> epochs = received.getOrDefault(kind, List.of(-1));
                assertEquals(newest, epochs.get(epochs.size() - 1), kind.id() + ": the newest arrives last");
                assertTrue(epochs.size() < rounds, kind.id() + ": held back and replaced, got " + epochs.size());
            }
        }
        assertEquals(200, get("/health").statusCode());
    }

    @Test
    void closedSocketsAreRemovedAndTheLastOneEndsTheSubscription() {
        start();
        String id = createRun(tiny());
        awaitStatus(id, "completed");
        HttpVerticle http = dashboard.http();

        WebSocket first = connect(id);
        WebSocket second = connect(id);
        awaitCount(() -> await(http.viewers(id)), 2);
        assertEquals(1, await(http.watchedRuns()));

        await(first.close());
        awaitCount(() -> await(http.viewers(id)), 1);
        assertEquals(1, await(http.watchedRuns()));

        await(second.close());
        awaitCount(() -> await(http.viewers(id)), 0);
        assertEquals(0, await(http.watchedRuns()));
    }

    @Test
    void unknownRunsAreRefusedBeforeTheUpgrade() {
        start();
        for (String id : List.of("0123456789ab", "..%2Fetc", "NOT-AN-ID")) {
            Throwable refused = await(webSockets().connect(dashboard.port(), "127.0.0.1", "/ws/runs/" + id)
                    .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())));
            UpgradeRejectedException e = assertInstanceOf(UpgradeRejectedException.class, refused, id);
            assertEquals(404, e.getStatus(), id);
        }
    }

    private static boolean newestOfEveryKind(Map<MapKind, List<Integer>> received, int newest) {
        synchronized (received) {
            return received.size() == 5 && received.values().stream().allMatch(e -> e.contains(newest));
        }
    }

    private static void awaitCount(java.util.function.IntSupplier count, int expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int last = count.getAsInt();
        while (last != expected && System.nanoTime() < deadline) {
            sleep(20);
            last = count.getAsInt();
        }
        assertEquals(expected, last);
    }
}
