package org.neuralgrid.web;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.neuralgrid.bus.RunBus;
import org.neuralgrid.bus.RunId;
import org.neuralgrid.io.HeatmapFrame;
import org.neuralgrid.io.MapKind;

/**
 * Fans a run's events out to the WebSocket clients watching it. A run with viewers has exactly one pair of
 * event-bus consumers ({@link RunBus#events} and {@link RunBus#heatmaps}), registered with its first viewer and
 * unregistered with its last.
 *
 * <h2>What a client receives</h2>
 * <ol>
 * <li>text {@code {"type": "state", "run": summary with "config", "epochs": [epoch metrics so far]}}</li>
 * <li>binary: the newest heatmap frame of each {@link MapKind} the run has (those of the summary's epoch; a run of
 *     an earlier version has only mean maps), in kind order</li>
 * <li>then live: text frames with the run's events ({@code status}, {@code summary}, {@code progress},
 *     {@code epoch}, as in
 *     {@link RunBus}) and binary frames with its heatmaps: every kind after every epoch, all on the one heatmap
 *     address, each frame saying its kind (byte 48)</li>
 * </ol>
 * Events published while the snapshot is being read are held back and sent after it (epoch events the snapshot
 * already holds are dropped), so a client sees no gap and no duplicate. When the snapshot cannot be read the
 * client gets {@code {"type": "error", "status", "message"}} and a close with code 4000 + status.
 *
 * <h2>Slow clients</h2>
 * Nothing here waits for a client: a client's socket has a write queue, and
 * <ul>
 * <li>status and epoch frames are always written (a handful per epoch), but a client that lets
 *     {@value #MAX_TEXT_BACKLOG} of them pile up in a full queue is closed (1008): it can reconnect and get the
 *     state afresh;</li>
 * <li>progress frames are dropped while the queue is full;</li>
 * <li>heatmap frames are held while the queue is full, at most one per client and kind: a newer one of the
 *     same kind replaces the held one, and the held ones (one of each kind at most) go out when the queue drains.
 *     Holding one for all kinds would be wrong: the five kinds of an epoch come one after the other, so a slow
 *     client would only ever get the last kind.</li>
 * </ul>
 * Everything runs on the HTTP verticle's event loop (the consumers and the sockets belong to its context), so
 * nothing here is shared between threads but the counts that /metrics reads.
 */
final class RunStream {
    /** Status and epoch frames a client may leave unread in a full write queue before it is closed. */
    static final int MAX_TEXT_BACKLOG = 512;
    /** Events held for a client whose snapshot is still being read; more means something is stuck. */
    static final int MAX_EARLY_EVENTS = 1024;
    /** WebSocket close codes: 4000 + the HTTP status of the snapshot's failure. */
    static final short CLOSE_BASE = 4000;
    static final short CLOSE_TOO_SLOW = 1008;
    static final short CLOSE_GOING_AWAY = 1001;

    private static final System.Logger LOG = System.getLogger(RunStream.class.getName());

    private final EventBus bus;
    private final RunBusClient runs;
    private final int maxViewers;
    private final Map<String, Channel> channels = new HashMap<>();
    /** Read by the meters' scrapes on other threads; written here only. */
    private volatile int viewerCount;
    private final LongAdder droppedProgress = new LongAdder();
    private final LongAdder droppedHeatmaps = new LongAdder();

    RunStream(EventBus bus, RunBusClient runs, int maxViewers) {
        this.bus = bus;
        this.runs = runs;
        this.maxViewers = maxViewers;
    }

    /** Whether another viewer would pass the limit; checked before a socket is upgraded. */
    boolean full() {
        return viewerCount >= maxViewers;
    }

    /** WebSocket clients of all runs together. */
    int viewerCount() {
        return viewerCount;
    }

    /** Progress frames not sent because a client's write queue was full. */
    long droppedProgress() {
        return droppedProgress.sum();
    }

    /** Heatmap frames replaced by a newer one before a slow client could take them. */
    long droppedHeatmaps() {
        return droppedHeatmaps.sum();
    }

    /** Runs with at least one viewer. */
    int channels() {
        return channels.size();
    }

    /** Viewers of one run. */
    int viewers(String runId) {
        Channel c = channels.get(runId);
        return c == null ? 0 : c.viewers.size();
    }

    /**
     * {@code /ws/runs/:id}, after the token and the origin were checked: the run must exist before the connection
     * is upgraded (404 otherwise). The request is paused while the bus answers, so that the upgrade still finds it
     * unread.
     */
    void upgrade(RoutingContext rc) {
        String id = rc.pathParam("id");
        if (!RunId.isValid(id)) {
            Replies.error(rc, ApiError.notFound("there is no run '" + Replies.shorten(String.valueOf(id), 40) + "'"));
        } else if (!OriginFilter.isWebSocketUpgrade(rc.request())) {
            Replies.error(rc, ApiError.of(426, "this address speaks WebSocket only"));
        } else if (full()) {
            Replies.error(rc, ApiError.of(503, "too many WebSocket clients; try again later"));
        } else {
            rc.request().pause();
            Future<JsonObject> run = runs.get(id).onFailure(e -> {
                rc.request().resume();
                Replies.failure(rc, e);
            });
            run.compose(found -> rc.request().toWebSocket())
                    .onSuccess(ws -> add(id, ws))
                    .onFailure(e -> {
                        if (run.succeeded()) {
                            LOG.log(System.Logger.Level.WARNING, "WebSocket upgrade of run " + id + " failed: " + e);
                        }
                    });
        }
    }

    /** Starts streaming run {@code runId} to {@code ws}: the state, the newest heatmap, then live events. */
    void add(String runId, ServerWebSocket ws) {
        if (ws.isClosed()) {
            return; // gone during the upgrade: its close handler would never run
        }
        Channel channel = channels.computeIfAbsent(runId, Channel::new);
        Viewer viewer = new Viewer(ws);
        channel.viewers.add(viewer);
        viewerCount = viewerCount + 1;
        ws.closeHandler(v -> remove(channel, viewer));
        ws.exceptionHandler(e -> LOG.log(System.Logger.Level.DEBUG, "WebSocket of run " + runId + ": " + e));
        ws.drainHandler(v -> drained(viewer));
        ws.handler(data -> {
            // clients have nothing to say: what they send is read and dropped
        });
        channel.registered
                .compose(v -> snapshot(runId))
                .onSuccess(snapshot -> goLive(viewer, snapshot))
                .onFailure(e -> refuse(viewer, ApiError.from(e)));
    }

    /**
     * Closes every socket (without waiting for the clients to answer: the server's connections close anyway)
     * and unregisters every consumer.
     */
    Future<Void> close() {
        List<Future<Void>> all = new ArrayList<>();
        for (Channel c : List.copyOf(channels.values())) {
            for (Viewer v : List.copyOf(c.viewers)) {
                v.closed = true;
                v.ws.close(CLOSE_GOING_AWAY, "server stopping");
            }
            all.add(c.unregister());
        }
        channels.clear();
        viewerCount = 0;
        return Future.join(all).mapEmpty();
    }

    /** The state frame and the heatmaps of the summary's epoch, of each kind the run has. */
    private Future<Snapshot> snapshot(String runId) {
        return Future.all(runs.get(runId), runs.metrics(runId)).compose(both -> {
            JsonObject run = both.resultAt(0);
            JsonArray epochs = both.<JsonObject>resultAt(1).getJsonArray("epochs", new JsonArray());
            JsonObject state = new JsonObject().put("type", "state").put("run", run).put("epochs", epochs);
            return heatmaps(runId, run.getInteger("epoch", 0))
                    .map(frames -> new Snapshot(state, lastEpoch(epochs), frames));
        });
    }

    /** An epoch's frame of every kind the run has one of (older runs: mean only; none before the first). */
    private Future<Map<MapKind, Buffer>> heatmaps(String runId, int epoch) {
        List<Future<Buffer>> asked = new ArrayList<>();
        for (MapKind kind : MapKind.values()) {
            asked.add(runs.heatmap(runId, epoch, kind.id()).otherwise((Buffer) null));
        }
        return Future.all(asked).map(all -> {
            Map<MapKind, Buffer> frames = new EnumMap<>(MapKind.class);
            for (MapKind kind : MapKind.values()) {
                Buffer frame = all.resultAt(kind.ordinal());
                if (frame != null) {
                    frames.put(kind, frame);
                }
            }
            return frames;
        });
    }

    /** The snapshot could not be read: the client hears why, and a close code of 4000 + the HTTP status. */
    private void refuse(Viewer v, ApiError error) {
        if (gone(v)) {
            return;
        }
        v.ws.writeTextMessage(new JsonObject().put("type", "error").put("status", error.status())
                .put("message", error.message()).encode());
        // a close reason may take 123 bytes at most
        String reason = error.message().length() > 60 ? error.message().substring(0, 60) : error.message();
        v.ws.close((short) (CLOSE_BASE + error.status()), reason);
    }

    private void goLive(Viewer v, Snapshot s) {
        if (gone(v)) {
            return;
        }
        v.ws.writeTextMessage(s.state().encode());
        for (MapKind kind : MapKind.values()) {
            Buffer heatmap = newer(s.heatmaps().get(kind), v.earlyHeatmaps.get(kind));
            if (heatmap != null) {
                writeHeatmap(v, heatmap);
            }
        }
        for (JsonObject e : v.early) {
            boolean known = "epoch".equals(e.getString("type")) && e.getInteger("epoch", 0) <= s.lastEpoch();
            if (!known) {
                writeText(v, e.encode());
            }
        }
        if (v.earlyProgress != null && !v.ws.writeQueueFull()) {
            v.ws.writeTextMessage(v.earlyProgress.encode());
        }
        v.early = null;
        v.earlyProgress = null;
        v.earlyHeatmaps.clear();
        v.live = true;
    }

    /** A socket can close before its close handler has run: writing to it then throws. */
    private static boolean gone(Viewer v) {
        return v.closed || v.ws.isClosed();
    }

    private void onEvent(Channel c, JsonObject event) {
        boolean progress = "progress".equals(event.getString("type"));
        String text = event.encode();
        for (Viewer v : List.copyOf(c.viewers)) {
            if (gone(v)) {
                continue;
            }
            if (!v.live) {
                holdBack(v, event, progress);
            } else if (!progress) {
                writeText(v, text);
            } else if (!v.ws.writeQueueFull()) {
                v.ws.writeTextMessage(text);
            } else {
                droppedProgress.increment();
            }
        }
    }

    private void onHeatmap(Channel c, Buffer frame) {
        for (Viewer v : List.copyOf(c.viewers)) {
            if (gone(v)) {
                continue;
            }
            if (!v.live) {
                v.earlyHeatmaps.merge(kindOf(frame), frame, RunStream::newer);
            } else {
                writeHeatmap(v, frame);
            }
        }
    }

    private void holdBack(Viewer v, JsonObject event, boolean progress) {
        if (progress) {
            v.earlyProgress = event;
        } else if (v.early.size() < MAX_EARLY_EVENTS) {
            v.early.add(event);
        } else {
            closeTooSlow(v);
        }
    }

    /** Status and epoch frames: always written, unless the client has let too many pile up. */
    private void writeText(Viewer v, String text) {
        if (v.ws.writeQueueFull() && ++v.textBacklog > MAX_TEXT_BACKLOG) {
            closeTooSlow(v);
            return;
        }
        v.ws.writeTextMessage(text);
    }

    /** Heatmaps: written when the queue has room, else held (per kind, the newest wins) until it drains. */
    private void writeHeatmap(Viewer v, Buffer frame) {
        MapKind kind = kindOf(frame);
        if (v.ws.writeQueueFull()) {
            if (v.pendingHeatmaps.put(kind, frame) != null) {
                droppedHeatmaps.increment();
            }
        } else {
            v.pendingHeatmaps.remove(kind);
            v.ws.writeBinaryMessage(frame);
        }
    }

    /** The queue has room again: the held heatmaps go out, one of each kind at most, in kind order. */
    private void drained(Viewer v) {
        v.textBacklog = 0;
        if (gone(v)) {
            return;
        }
        List<Buffer> held = List.copyOf(v.pendingHeatmaps.values());
        v.pendingHeatmaps.clear();
        held.forEach(v.ws::writeBinaryMessage);
    }

    private void closeTooSlow(Viewer v) {
        if (!v.closed) {
            LOG.log(System.Logger.Level.INFO, "closing a WebSocket that stopped reading");
            v.closed = true;
            v.pendingHeatmaps.clear();
            v.ws.close(CLOSE_TOO_SLOW, "client too slow");
        }
    }

    private void remove(Channel c, Viewer v) {
        v.closed = true;
        v.pendingHeatmaps.clear();
        if (c.viewers.remove(v)) {
            viewerCount = viewerCount - 1;
        }
        if (c.viewers.isEmpty() && channels.get(c.runId) == c) {
            channels.remove(c.runId);
            c.unregister();
        }
    }

    private static int lastEpoch(JsonArray epochs) {
        int last = 0;
        for (int i = 0; i < epochs.size(); i++) {
            last = Math.max(last, epochs.getJsonObject(i).getInteger("epoch", 0));
        }
        return last;
    }

    /** The frame of the later epoch (the epoch is the u32 at offset 8 of the header); either may be null. */
    private static Buffer newer(Buffer a, Buffer b) {
        if (a == null || a.length() < 12) {
            return b;
        }
        if (b == null || b.length() < 12) {
            return a;
        }
        return Integer.toUnsignedLong(b.getIntLE(8)) >= Integer.toUnsignedLong(a.getIntLE(8)) ? b : a;
    }

    /**
     * The kind of a frame, read from its header without decoding it (frames of earlier versions are mean maps; so
     * is a frame whose kind this version does not know, rather than one dropped on the event loop).
     */
    private static MapKind kindOf(Buffer frame) {
        try {
            return HeatmapFrame.kindOf(frame.getBytes(0, Math.min(frame.length(), HeatmapFrame.HEADER)));
        } catch (IllegalArgumentException unknown) {
            return MapKind.MEAN;
        }
    }

    private record Snapshot(JsonObject state, int lastEpoch, Map<MapKind, Buffer> heatmaps) {
    }

    /** One watched run: its consumers and its viewers. */
    private final class Channel {
        final String runId;
        final Set<Viewer> viewers = new LinkedHashSet<>();
        final MessageConsumer<JsonObject> events;
        final MessageConsumer<Buffer> heatmaps;
        final Future<Void> registered;

        Channel(String runId) {
            this.runId = runId;
            this.events = bus.consumer(RunBus.events(runId), m -> onEvent(this, m.body()));
            this.heatmaps = bus.consumer(RunBus.heatmaps(runId), m -> onHeatmap(this, m.body()));
            this.registered = Future.all(events.completion(), heatmaps.completion()).mapEmpty();
        }

        Future<Void> unregister() {
            return Future.join(events.unregister(), heatmaps.unregister()).mapEmpty();
        }
    }

    /** One client of one run. */
    private static final class Viewer {
        final ServerWebSocket ws;
        /** The state has been sent; events go straight out. */
        boolean live;
        boolean closed;
        /** Before {@link #live}: events held back, in order; only the latest progress and heatmap of each kind. */
        List<JsonObject> early = new ArrayList<>();
        JsonObject earlyProgress;
        final Map<MapKind, Buffer> earlyHeatmaps = new EnumMap<>(MapKind.class);
        /** The newest heatmap of each kind waiting for the write queue to drain. */
        final Map<MapKind, Buffer> pendingHeatmaps = new EnumMap<>(MapKind.class);
        /** Status and epoch frames written into a full queue since it last drained. */
        int textBacklog;

        Viewer(ServerWebSocket ws) {
            this.ws = ws;
        }
    }
}
