package org.neuralgrid.worker;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.neuralgrid.bus.NodeBus;
import org.neuralgrid.bus.NodeReport;
import org.neuralgrid.bus.RunBus;
import org.neuralgrid.bus.RunStatus;
import org.neuralgrid.data.FashionMnist;
import org.neuralgrid.engine.Device;
import org.neuralgrid.engine.ParameterSnapshots.Snapshot;
import org.neuralgrid.engine.RunFiles;
import org.neuralgrid.engine.catalog.BackendCatalog;
import org.neuralgrid.io.HeatmapFrame;
import org.neuralgrid.model.BackendSpec;
import org.neuralgrid.model.ModelLayout;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.RunConfigJson;
import org.neuralgrid.store.RunRecord;
import org.neuralgrid.store.RunStore;
import org.neuralgrid.worker.TrainingJob.Outcome;

/**
 * Where the runs of a dashboard node train when it is the head of a cluster: on its worker nodes. It hands each
 * queued run, oldest first, to a worker that has a device for the run's backend and room for it (the worker
 * decides its room, as a single server does; {@code auto} tries nodes with a GPU first, then the node with the
 * fewest runs), stores what the worker reports exactly as a run trained here would be stored, and serves the files
 * a worker asks for. Everything runs on the {@link RunVerticle}'s context.
 *
 * <p>A worker that leaves the cluster (killed, cut off, stopped) turns its runs interrupted, with everything after
 * the last checkpoint that reached the store forgotten, and, unless {@code resumeElsewhere} is off, queues them
 * again: the next node continues from that checkpoint. Each hand-out is a new attempt; reports of an older attempt
 * are refused, so nothing is trained twice into the same run. After a restart of the dashboard, runs the store
 * shows on nodes count as training until their node claims them (in its announcement or a report) or
 * {@link #CLAIM_MILLIS} ms pass.
 */
final class NodeLanes {
    static final long CLAIM_MILLIS = 20_000;
    static final long OFFER_MILLIS = 10_000;
    private static final Set<String> RUN_FILES = Set.of(RunFiles.WEIGHTS, RunFiles.BEST, RunFiles.CHECKPOINT,
            RunFiles.CHECKPOINT_BEST);
    private static final System.Logger LOG = System.getLogger(NodeLanes.class.getName());

    /** The dashboard's queue and table of training runs, as the lanes see them (the {@link RunVerticle}'s). */
    interface Queue {
        Deque<String> queue();

        Map<String, RunHandle> running();

        void statusChanged(RunRecord run);

        /** A run's trainer ended it: record how, and start what can start. */
        void ended(String id, StopReason asked, Outcome outcome);

        /** Queues a run again (its status becomes queued). */
        void requeue(String id);

        void startQueued();
    }

    /** A worker node as its last announcement described it. */
    private record Worker(String node, String host, List<Device> devices, boolean draining) {
        boolean gpu() {
            return devices.stream().anyMatch(d -> d.available() && d.room().gpu());
        }
    }

    /** A run handed to a worker node. */
    private final class RemoteRun implements RunHandle {
        final String id;
        final String node;
        final String host;
        final String attempt;
        boolean claimed;
        StopReason asked;

        RemoteRun(String id, String node, String host, String attempt, boolean claimed) {
            this.id = id;
            this.node = node;
            this.host = host;
            this.attempt = attempt;
            this.claimed = claimed;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public void requestStop(StopReason reason) {
            if (asked == null) {
                asked = reason;
            }
            vertx.eventBus().send(NodeBus.stop(node), new JsonObject().put("run", id).put("attempt", attempt)
                    .put("reason", reason.name().toLowerCase(java.util.Locale.ROOT)));
        }

        @Override
        public StopReason stopReason() {
            return asked;
        }
    }

    private final Vertx vertx;
    private final RunStore store;
    private final RunEvents events;
    private final RunMeters meters;
    private final Path fashionMnistDir;
    private final boolean resumeElsewhere;
    private final Queue host;
    private final Map<String, Worker> workers = new LinkedHashMap<>();
    /** Nodes that left: an announcement of theirs still on its way must not bring them back (ids are not reused). */
    private final Set<String> gone = new HashSet<>();
    /** Runs offered to a node right now, and the attempt offered. */
    private final Map<String, String> offered = new HashMap<>();
    private final List<MessageConsumer<?>> consumers = new ArrayList<>();
    private boolean placing;
    private boolean placeAgain;
    private long claimTimer = -1;

    NodeLanes(Vertx vertx, RunStore store, RunEvents events, RunMeters meters, Path fashionMnistDir,
              boolean resumeElsewhere, Queue host) {
        this.vertx = vertx;
        this.store = store;
        this.events = events;
        this.meters = meters;
        this.fashionMnistDir = fashionMnistDir;
        this.resumeElsewhere = resumeElsewhere;
        this.host = host;
    }

    /** Listens for nodes and reports; the runs the store shows on nodes wait for their nodes to claim them. */
    List<MessageConsumer<?>> start() {
        var bus = vertx.eventBus();
        consumers.add(bus.<JsonObject>consumer(NodeBus.HEARTBEAT, m -> heard(m.body())));
        consumers.add(bus.<JsonObject>consumer(NodeBus.LEFT, m -> left(m.body().getString("node", ""))));
        consumers.add(bus.<Buffer>consumer(NodeBus.REPORTS, this::report));
        consumers.add(bus.<JsonObject>consumer(NodeBus.RUN_FILE, this::runFile));
        consumers.add(bus.<JsonObject>consumer(NodeBus.DATASET_FILE, this::datasetFile));
        for (RunRecord run : store.runningOnNodes()) {
            RunRecord.Placement p = run.placement();
            host.running().put(run.id(), new RemoteRun(run.id(), p.node(), p.host(), p.attempt(), false));
            meters.started(run.id(), run.config().batch(), run.epoch());
        }
        if (!host.running().isEmpty()) {
            LOG.log(System.Logger.Level.INFO, host.running().size() + " run(s) were training on worker nodes when"
                    + " this dashboard stopped; waiting up to " + CLAIM_MILLIS / 1000 + " s for their nodes");
            claimTimer = vertx.setTimer(CLAIM_MILLIS, t -> unclaimed());
        }
        bus.publish(NodeBus.PING, new JsonObject());
        return consumers;
    }

    void stop() {
        vertx.cancelTimer(claimTimer);
        consumers.forEach(MessageConsumer::unregister);
    }

    /** The devices of every worker node (one entry per device spec: available where any node has it). */
    List<Device> devices() {
        Map<String, Device> all = new LinkedHashMap<>();
        for (Worker w : workers.values()) {
            for (Device d : w.devices()) {
                all.merge(d.spec().toString(), d, (a, b) -> a.available() ? a : b);
            }
        }
        return List.copyOf(all.values());
    }

    /** Asks the node that trains the run for its parameters between two steps (for a live probe). */
    Supplier<CompletionStage<Snapshot>> live(RunRecord run) {
        if (!(host.running().get(run.id()) instanceof RemoteRun r)) {
            return null;
        }
        Parameters layout = ModelLayout.zeros(run.config());
        return () -> vertx.eventBus().<Buffer>request(NodeBus.parameters(r.node), new JsonObject()
                        .put("run", r.id).put("attempt", r.attempt), new DeliveryOptions().setSendTimeout(OFFER_MILLIS))
                .map(reply -> LiveParameters.decode(reply.body(), layout))
                .toCompletionStage();
    }

    // ---- nodes ----

    private void heard(JsonObject a) {
        if (a == null || !NodeBus.WORKER.equals(a.getString("role"))) {
            return;
        }
        String node = a.getString("node");
        if (node == null || gone.contains(node)) {
            return;
        }
        Worker before = workers.get(node);
        Worker now = new Worker(node, a.getString("host"), devices(a.getJsonArray("devices", new JsonArray())),
                a.getBoolean("draining", false));
        workers.put(node, now);
        JsonObject attempts = a.getJsonObject("attempts", new JsonObject());
        for (RunHandle h : host.running().values()) {
            if (h instanceof RemoteRun r && r.node.equals(node) && r.attempt.equals(attempts.getString(r.id))) {
                r.claimed = true;
            }
        }
        if (before == null || before.draining() != now.draining()) {
            host.startQueued();
        }
    }

    private void left(String node) {
        gone.add(node);
        Worker left = workers.remove(node);
        List<RemoteRun> lost = host.running().values().stream()
                .filter(h -> h instanceof RemoteRun r && r.node.equals(node)).map(h -> (RemoteRun) h).toList();
        String where = "node " + (left != null ? left.host() + " (" + node + ")" : node);
        lost.forEach(r -> lost(r, where + " left the cluster during training"));
        if (!lost.isEmpty()) {
            host.startQueued();
        }
    }

    /** Runs the store showed on nodes at the start that no node has claimed since. */
    private void unclaimed() {
        List<RemoteRun> lost = host.running().values().stream()
                .filter(h -> h instanceof RemoteRun r && !r.claimed).map(h -> (RemoteRun) h).toList();
        lost.forEach(r -> lost(r, "no node claimed it within " + CLAIM_MILLIS / 1000 + " s of the dashboard's"
                + " start (node " + r.host + " is gone)"));
        host.startQueued();
    }

    /** A run whose node went: interrupted from its last checkpoint here, and queued again unless turned off. */
    private void lost(RemoteRun r, String why) {
        host.running().remove(r.id, r);
        meters.ended(r.id);
        RunRecord run = store.find(r.id).orElse(null);
        if (run == null || r.asked == StopReason.DELETE) {
            store.delete(r.id);
            return;
        }
        if (run.status() != RunStatus.RUNNING) {
            return; // cancelled meanwhile: it stays so
        }
        String message = why + (resumeElsewhere ? "; it continues on another node from its last checkpoint"
                : "; resume continues from its last checkpoint");
        store.lost(r.id, message).ifPresent(host::statusChanged);
        LOG.log(System.Logger.Level.WARNING, "run " + r.id + ": " + message);
        if (resumeElsewhere) {
            host.requeue(r.id);
        }
    }

    // ---- placement ----

    /** Hands queued runs to nodes that take them, oldest first; one offer at a time. */
    void place() {
        if (placing) {
            placeAgain = true;
            return;
        }
        placing = true;
        placeAgain = false;
        placeFrom(new ArrayList<>(host.queue()), 0, new HashSet<>()).onComplete(v -> {
            placing = false;
            if (placeAgain) {
                place();
            }
        });
    }

    private Future<Void> placeFrom(List<String> ids, int i, Set<String> full) {
        if (i >= ids.size()) {
            return Future.succeededFuture();
        }
        String id = ids.get(i);
        RunRecord run = store.find(id).filter(r -> r.status() == RunStatus.QUEUED).orElse(null);
        if (run == null || host.running().containsKey(id)) {
            host.queue().remove(id);
            return placeFrom(ids, i + 1, full);
        }
        return offer(run, candidates(run.config(), full), 0, full).compose(v -> placeFrom(ids, i + 1, full));
    }

    /** Nodes that could train the run: not draining, not full, with a device for its backend. */
    private List<Worker> candidates(RunConfig config, Set<String> full) {
        BackendSpec backend = config.backend();
        Map<String, Long> load = new HashMap<>();
        host.running().values().forEach(h -> {
            if (h instanceof RemoteRun r) {
                load.merge(r.node, 1L, Long::sum);
            }
        });
        return workers.values().stream()
                .filter(w -> !w.draining() && !full.contains(w.node()))
                .filter(w -> BackendCatalog.problem(backend, w.devices()).isEmpty())
                .sorted(Comparator.<Worker, Boolean>comparing(w -> !(backend.isAuto() && w.gpu()))
                        .thenComparing(w -> load.getOrDefault(w.node(), 0L)))
                .toList();
    }

    private Future<Void> offer(RunRecord run, List<Worker> candidates, int k, Set<String> full) {
        if (k >= candidates.size()) {
            return Future.succeededFuture();
        }
        Worker w = candidates.get(k);
        String attempt = UUID.randomUUID().toString();
        offered.put(run.id(), attempt);
        JsonObject offer = new JsonObject().put("run", run.id()).put("name", run.name()).put("attempt", attempt)
                .put("config", new JsonObject(RunConfigJson.write(run.config())))
                .put("files", new JsonArray(RUN_FILES.stream().sorted()
                        .filter(f -> Files.exists(store.runDir(run.id()).resolve(f))).toList()));
        return vertx.eventBus().<JsonObject>request(NodeBus.train(w.node()), offer,
                        new DeliveryOptions().setSendTimeout(OFFER_MILLIS))
                .transform(reply -> {
                    if (reply.succeeded()) {
                        handedTo(run.id(), w, attempt);
                        offered.remove(run.id(), attempt);
                        return Future.succeededFuture();
                    }
                    offered.remove(run.id(), attempt);
                    if (reply.cause() instanceof ReplyException e && e.failureCode() == RunBus.CONFLICT) {
                        full.add(w.node());
                    } else {
                        LOG.log(System.Logger.Level.WARNING, "node " + w.host() + " (" + w.node() + ") did not take"
                                + " run " + run.id() + ": " + reply.cause().getMessage());
                    }
                    return offer(run, candidates, k + 1, full);
                });
    }

    private void handedTo(String id, Worker w, String attempt) {
        RunRecord current = store.find(id).orElse(null);
        RemoteRun r = new RemoteRun(id, w.node(), w.host(), attempt, true);
        if (current == null || current.status() != RunStatus.QUEUED) {
            r.requestStop(StopReason.CANCEL); // cancelled or deleted while it was offered
            return;
        }
        host.queue().remove(id);
        host.running().put(id, r);
        RunRecord placed = store.markPlaced(id, new RunRecord.Placement(w.node(), w.host(), attempt))
                .orElse(current);
        meters.started(id, placed.config().batch(), placed.epoch());
        host.statusChanged(placed);
        LOG.log(System.Logger.Level.INFO, "run " + id + " handed to node " + w.host() + " (" + w.node() + ")");
    }

    // ---- what the nodes send and ask for ----

    /**
     * The attempt a run is handed to now (offered, or training: the same as the store's), or null. Read from memory:
     * every report asks, several a second a run.
     */
    private String attemptOf(String id) {
        String offer = offered.get(id);
        if (offer != null) {
            return offer;
        }
        return host.running().get(id) instanceof RemoteRun r ? r.attempt : null;
    }

    private void report(Message<Buffer> m) {
        NodeReport r;
        try {
            r = NodeReport.decode(m.body());
        } catch (IllegalArgumentException e) {
            m.fail(RunBus.BAD_REQUEST, e.getMessage());
            return;
        }
        String id = r.run();
        if (!r.attempt().equals(attemptOf(id))) {
            m.fail(RunBus.CONFLICT, "run " + id + " is not handed to attempt " + r.attempt() + " (any more)");
            return;
        }
        if (host.running().get(id) instanceof RemoteRun handle) {
            if (handle.asked == StopReason.DELETE) {
                host.running().remove(id);
                meters.ended(id);
                store.delete(id); // deleted while it trained: its folder goes now
                m.fail(RunBus.CONFLICT, "run " + id + " is gone");
                return;
            }
            handle.claimed = true;
        }
        try {
            apply(id, r);
            m.reply(new JsonObject());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "could not store the " + r.type() + " report of run " + r.run(), e);
            m.fail(RunBus.FAILED, String.valueOf(e.getMessage()));
        }
    }

    private void apply(String id, NodeReport r) {
        JsonObject h = r.header();
        switch (r.type()) {
            case "device" -> store.recordDevice(id, h.getString("backend"), h.getString("device"))
                    .ifPresent(events::summaryChanged);
            case "rewound" -> store.rewind(id, h.getInteger("epoch"), RunMessages.best(h.getJsonObject("best")))
                    .ifPresent(events::summaryChanged);
            case "epoch" -> {
                var metrics = RunMessages.epochMetrics(h.getJsonObject("metrics"));
                var stored = store.recordEpoch(id, metrics, RunMessages.best(h.getJsonObject("best")));
                events.epoch(id, metrics);
                meters.epoch(id, metrics);
                stored.ifPresent(events::summaryChanged);
            }
            case "maps" -> {
                HeatmapFrame frame = HeatmapFrame.decode(r.bytes());
                store.writeHeatmap(id, frame);
                events.heatmap(id, frame);
            }
            case "file" -> file(id, h, r.bytes());
            case "progress" -> {
                var progress = RunMessages.progress(h.getJsonObject("progress"));
                events.progress(id, progress);
                meters.progress(id, progress);
            }
            case "ended" -> store.find(id).ifPresent(run -> ended(run, h));
            default -> throw new IllegalArgumentException("a report of an unknown type " + r.type());
        }
    }

    private void file(String id, JsonObject h, byte[] bytes) {
        String name = h.getString("name");
        if (!RUN_FILES.contains(name)) {
            throw new IllegalArgumentException("a run has no file " + name);
        }
        boolean whole = store.writeRunFilePart(id, name, h.getLong("offset"), h.getLong("total"), bytes);
        if (whole && (name.equals(RunFiles.WEIGHTS) || name.equals(RunFiles.BEST))) {
            store.find(id).ifPresent(events::summaryChanged); // its weights can be downloaded now
        }
    }

    private void ended(RunRecord run, JsonObject h) {
        RunHandle handle = host.running().get(run.id());
        StopReason asked = handle == null ? null : handle.stopReason();
        host.running().remove(run.id());
        meters.ended(run.id());
        RunStatus status = RunStatus.parse(h.getString("status"));
        boolean nodeStopping = asked == null && "interrupt".equals(h.getString("reason"));
        if (nodeStopping && run.status() == RunStatus.RUNNING) {
            String message = "node " + (run.placement() == null ? "?" : run.placement().host()) + " was stopped"
                    + " during training; its progress is saved up to the batch where it stopped"
                    + (resumeElsewhere ? ", and it continues on another node from there" : "");
            store.setStatus(run.id(), RunStatus.INTERRUPTED, message).ifPresent(host::statusChanged);
            if (resumeElsewhere) {
                host.requeue(run.id());
            }
            host.startQueued();
            return;
        }
        host.ended(run.id(), asked, new Outcome(status, h.getString("message")));
    }

    private void runFile(Message<JsonObject> m) {
        JsonObject b = RunMessages.bodyOf(m);
        String id = b.getString("run", "");
        RunRecord run = store.find(id).orElse(null);
        String name = b.getString("name", "");
        if (run == null || !b.getString("attempt", "").equals(attemptOf(id)) || !RUN_FILES.contains(name)) {
            m.fail(RunBus.CONFLICT, "run " + id + " is not handed to that attempt, or has no file " + name);
            return;
        }
        sendPart(m, store.runDir(id).resolve(name), b);
    }

    private void datasetFile(Message<JsonObject> m) {
        JsonObject b = RunMessages.bodyOf(m);
        String name = b.getString("name", "");
        Path file = FashionMnist.FILES.contains(name) ? FashionMnist.find(fashionMnistDir, name) : null;
        if (file == null) {
            m.fail(RunBus.NOT_FOUND, "the dashboard node has no Fashion-MNIST file " + name);
            return;
        }
        sendPart(m, file, b);
    }

    private static void sendPart(Message<JsonObject> m, Path file, JsonObject body) {
        try {
            if (!Files.isRegularFile(file)) {
                m.fail(RunBus.NOT_FOUND, "no file " + file.getFileName());
                return;
            }
            DashboardFiles.replyPart(m, file, body.getLong("offset", 0L));
        } catch (IOException | RuntimeException e) {
            m.fail(RunBus.FAILED, "could not read " + file.getFileName() + ": " + e.getMessage());
        }
    }

    private static List<Device> devices(JsonArray list) {
        List<Device> devices = new ArrayList<>();
        for (Object o : list) {
            if (o instanceof JsonObject d) {
                try {
                    devices.add(new Device(BackendSpec.parse(d.getString("backend")), d.getString("name"),
                            d.getBoolean("available", false), d.getString("note"),
                            new Device.Room(d.getBoolean("gpu", false), d.getLong("memoryBytes", 0L),
                                    d.getInteger("cores", 1))));
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "a node announced a device this node cannot read: " + d);
                }
            }
        }
        return devices;
    }
}
