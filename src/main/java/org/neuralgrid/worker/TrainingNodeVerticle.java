package org.neuralgrid.worker;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.neuralgrid.bus.NodeBus;
import org.neuralgrid.bus.RunBus;
import org.neuralgrid.bus.RunId;
import org.neuralgrid.bus.RunStatus;
import org.neuralgrid.data.FashionMnist;
import org.neuralgrid.engine.Device;
import org.neuralgrid.engine.RunFiles;
import org.neuralgrid.engine.catalog.BackendCatalog;
import org.neuralgrid.model.InvalidConfigException;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.RunConfigJson;
import org.neuralgrid.store.RunStore;
import org.neuralgrid.worker.TrainingJob.Outcome;

/**
 * The training side of a worker node: takes the runs the dashboard node hands it ({@link NodeBus#train}) while its
 * devices have room ({@link DevicePacking}, as on a single server), trains each on a thread of its own in a
 * scratch folder ({@code DATA/runs/{id}}, fetched from the dashboard first when the run continues from a
 * checkpoint), and reports everything back through a {@link ReportOutbox} per run. It keeps no store: once the
 * dashboard has acknowledged a run's last report, its scratch folder goes. Deploy it with
 * {@code ThreadingModel.WORKER} and {@code {"dataDir": "...", "maxConcurrent": 0}}.
 *
 * <p>Stopping it (the node leaving) stops every run at its next batch, saving where it was, and waits a little for
 * the reports to reach the dashboard, which turns them interrupted and hands them to another node.
 */
public final class TrainingNodeVerticle extends VerticleBase {
    public static final String DATA_DIR = "dataDir";
    public static final String MAX_CONCURRENT = "maxConcurrent";
    private static final long STOP_WAIT_SECONDS = 10;
    private static final System.Logger LOG = System.getLogger(TrainingNodeVerticle.class.getName());

    private final String nodeId;
    private final BackendCatalog backends = BackendCatalog.standard();
    private final Map<String, NodeRun> runs = new LinkedHashMap<>();
    private final List<MessageConsumer<?>> consumers = new ArrayList<>();
    private final AtomicLong reportBytes = new AtomicLong();
    private Path dataDir;
    private List<Device> devices;
    private DevicePacking packing;
    private TrainingDataSource data;
    private DashboardFiles dashboardFiles;
    private ExecutorService trainingThreads;
    private boolean draining;
    private boolean stopping;
    private volatile JsonObject status = new JsonObject();

    /** One run handed to this node: preparing (files on their way), training, or sending its last reports. */
    private static final class NodeRun {
        final String id;
        final String attempt;
        final RunConfig config;
        final ReportOutbox outbox;
        final NodeReports ledger;
        DevicePacking.Placed placed;
        TrainingJob job;
        StopReason asked;
        boolean endTold;

        NodeRun(String id, String attempt, RunConfig config, ReportOutbox outbox, NodeReports ledger,
                DevicePacking.Placed placed) {
            this.id = id;
            this.attempt = attempt;
            this.config = config;
            this.outbox = outbox;
            this.ledger = ledger;
            this.placed = placed;
        }

        void stop(StopReason reason) {
            if (asked == null) {
                asked = reason;
            }
            if (job != null) {
                job.requestStop(reason);
            }
        }
    }

    /** @param nodeId this node's id in the cluster (the address the dashboard hands runs to) */
    public TrainingNodeVerticle(String nodeId) {
        this.nodeId = nodeId;
    }

    @Override
    public Future<?> start() {
        String dir = config().getString(DATA_DIR);
        int maxConcurrent = config().getInteger(MAX_CONCURRENT, DevicePacking.AUTO);
        if (dir == null || dir.isBlank() || maxConcurrent < 0) {
            return Future.failedFuture(new IllegalArgumentException("TrainingNodeVerticle needs {\"dataDir\": a"
                    + " folder, \"maxConcurrent\": 1 or more, or 0 for auto}, got " + config()));
        }
        dataDir = Path.of(dir);
        devices = backends.devices();
        packing = new DevicePacking(devices, backends::place, maxConcurrent);
        dashboardFiles = new DashboardFiles(vertx);
        data = new TrainingDataSource(dataDir.resolve(RunVerticle.FASHION_MNIST_FOLDER),
                progress -> vertx.eventBus().publish(RunBus.DATASET_PROGRESS, progress), this::copyFashionMnist);
        trainingThreads = Executors.newCachedThreadPool(
                RunVerticle.trainingThreadFactory("neuralgrid-node-train-"));
        var bus = vertx.eventBus();
        consumers.add(bus.<JsonObject>consumer(NodeBus.train(nodeId), this::train));
        consumers.add(bus.<JsonObject>consumer(NodeBus.stop(nodeId), this::stopRun));
        consumers.add(bus.<JsonObject>consumer(NodeBus.drain(nodeId), this::drain));
        consumers.add(bus.<JsonObject>consumer(NodeBus.parameters(nodeId), this::liveParameters));
        updateStatus();
        return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
    }

    /** What this node adds to its announcement: the runs it holds, their attempts, and whether it drains. */
    public JsonObject status() {
        return status;
    }

    /** Bytes of reports sent to the dashboard so far (each try counted). */
    public long reportBytes() {
        return reportBytes.get();
    }

    // ---- requests from the dashboard node ----

    private void train(Message<JsonObject> message) {
        JsonObject body = RunMessages.bodyOf(message);
        String id = body.getValue("run") instanceof String s ? s : null;
        String attempt = body.getValue("attempt") instanceof String s ? s : null;
        if (id == null || !RunId.isValid(id) || attempt == null || !(body.getValue("config") instanceof JsonObject)) {
            message.fail(RunBus.BAD_REQUEST, "a run to train needs \"run\", \"attempt\" and \"config\"");
            return;
        }
        RunConfig config;
        try {
            config = RunConfigJson.fromTree(StartRequest.configTree(body.getJsonObject("config")));
        } catch (InvalidConfigException e) {
            message.fail(RunBus.BAD_REQUEST, RunMessages.fieldErrors(e.errors()));
            return;
        }
        List<DevicePacking.Placed> placedNow = placed();
        DevicePacking.Placed where = packing.place(config);
        Refusal refusal = refusal(id, config, where, placedNow);
        if (refusal != null) {
            message.fail(refusal.code(), refusal.getMessage());
            return;
        }
        int threads = packing.cpuThreads(config, where, placedNow, 1);
        NodeRun run = take(id, attempt, config, where);
        message.reply(new JsonObject().put("threads", threads));
        prepare(run, body.getJsonArray("files", new JsonArray()))
                .onSuccess(v -> launch(run, threads))
                .onFailure(e -> end(run, new Outcome(RunStatus.FAILED, "node " + nodeId + " could not prepare the"
                        + " run: " + e.getMessage())));
    }

    /** Why this node cannot take the run now (409: busy; 400: no device for it), or null. */
    private Refusal refusal(String id, RunConfig config, DevicePacking.Placed where,
                            List<DevicePacking.Placed> placedNow) {
        if (stopping || draining) {
            return new Refusal(RunBus.CONFLICT, "node " + nodeId + " is " + (stopping ? "stopping" : "draining"));
        }
        if (runs.containsKey(id)) {
            return new Refusal(RunBus.CONFLICT, "node " + nodeId + " still holds run " + id);
        }
        var problem = BackendCatalog.problem(config.backend(), devices);
        if (problem.isPresent()) {
            return new Refusal(RunBus.BAD_REQUEST, "node " + nodeId + ": " + problem.get());
        }
        if (!packing.belowCeiling(placedNow.size()) || !packing.fits(where, placedNow)) {
            return new Refusal(RunBus.CONFLICT, "node " + nodeId + " has no room for the run now");
        }
        return null;
    }

    /** The run is this node's now: its reports go out through an outbox of its own. */
    private NodeRun take(String id, String attempt, RunConfig config, DevicePacking.Placed where) {
        ReportOutbox outbox = new ReportOutbox(vertx, context, id, () -> refused(id, attempt), reportBytes);
        NodeRun run = new NodeRun(id, attempt, config, outbox,
                new NodeReports(id, attempt, new RunFiles(scratch(id), config), outbox), where);
        runs.put(id, run);
        updateStatus();
        LOG.log(System.Logger.Level.INFO, "run " + id + " (attempt " + attempt + ") handed to this node");
        return run;
    }

    private Path scratch(String id) {
        return dataDir.resolve(RunStore.RUNS).resolve(id);
    }

    private void stopRun(Message<JsonObject> message) {
        JsonObject body = RunMessages.bodyOf(message);
        NodeRun run = runs.get(body.getString("run", ""));
        if (run == null || !run.attempt.equals(body.getString("attempt"))) {
            return;
        }
        try {
            run.stop(StopReason.valueOf(body.getString("reason", "cancel").toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            run.stop(StopReason.CANCEL);
        }
    }

    /** The parameters of a run training here, between two steps, for the dashboard's live probe. */
    private void liveParameters(Message<JsonObject> message) {
        JsonObject body = RunMessages.bodyOf(message);
        NodeRun run = runs.get(body.getString("run", ""));
        if (run == null || run.job == null || run.job.outcome() != null
                || !run.attempt.equals(body.getString("attempt"))) {
            message.fail(RunBus.CONFLICT, "node " + nodeId + " does not train run " + body.getString("run"));
            return;
        }
        Future.fromCompletionStage(run.job.snapshots().request(), context)
                .onSuccess(s -> message.reply(LiveParameters.encode(run.id, run.attempt, s)))
                .onFailure(e -> message.fail(RunBus.CONFLICT, "run " + run.id + " stopped training before its"
                        + " parameters could be read"));
    }

    private void drain(Message<JsonObject> message) {
        JsonObject body = RunMessages.bodyOf(message);
        if (!(body.getValue("drain", true) instanceof Boolean drain)) {
            message.fail(RunBus.BAD_REQUEST, "\"drain\" must be true or false");
            return;
        }
        if (drain != draining) {
            LOG.log(System.Logger.Level.INFO, drain ? "draining: finishing " + runs.size() + " run(s), taking no more"
                    : "taking runs again");
        }
        draining = drain;
        updateStatus();
        message.reply(status.copy());
    }

    // ---- a run's life on this node ----

    /** The scratch folder, emptied, with the run's configuration and the files it continues from. */
    private Future<Void> prepare(NodeRun run, JsonArray files) {
        Path folder = scratch(run.id);
        try {
            RunFiles.deleteFolder(folder);
            new RunFiles(folder, run.config).writeConfig();
        } catch (IOException e) {
            return Future.failedFuture(e);
        }
        Future<?> chain = Future.succeededFuture();
        for (Object name : files) {
            JsonObject request = new JsonObject().put("run", run.id).put("attempt", run.attempt)
                    .put("name", String.valueOf(name));
            chain = chain.compose(v -> dashboardFiles.copy(NodeBus.RUN_FILE, request, folder));
        }
        return chain.mapEmpty();
    }

    private void launch(NodeRun run, int threads) {
        if (run.asked != null) {
            end(run, new Outcome(RunStatus.CANCELLED, null));
            return;
        }
        TrainingJob job = new TrainingJob(run.id, run.config, threads, run.ledger, data, backends);
        run.job = job;
        trainingThreads.execute(() -> {
            Outcome outcome = job.run();
            try {
                context.runOnContext(v -> end(run, outcome));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "run " + run.id + " ended after the node had gone", e);
            }
        });
    }

    /** Frees the run's room, tells the dashboard how it ended, and forgets it once that has been acknowledged. */
    private void end(NodeRun run, Outcome outcome) {
        run.placed = null;
        if (!run.endTold) {
            run.endTold = true;
            run.ledger.ended(outcome, run.job == null ? run.asked : run.job.stopReason());
            LOG.log(System.Logger.Level.INFO, "run " + run.id + " ended here: " + outcome.status().id()
                    + (outcome.message() == null ? "" : " (" + outcome.message() + ")"));
        }
        run.outbox.emptied().onComplete(v -> {
            LOG.log(System.Logger.Level.INFO, "run " + run.id + ": sent the dashboard " + run.outbox.sentText());
            runs.remove(run.id, run);
            updateStatus();
            try {
                RunFiles.deleteFolder(scratch(run.id));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "could not delete the scratch folder of run " + run.id, e);
            }
        });
    }

    /** The dashboard no longer hands this run to this attempt: stop training it, send nothing more. */
    private void refused(String id, String attempt) {
        NodeRun run = runs.get(id);
        if (run != null && run.attempt.equals(attempt)) {
            run.stop(StopReason.CANCEL);
        }
    }

    private List<DevicePacking.Placed> placed() {
        return runs.values().stream().map(r -> r.placed).filter(p -> p != null).toList();
    }

    private void updateStatus() {
        JsonObject attempts = new JsonObject();
        runs.values().forEach(r -> attempts.put(r.id, r.attempt));
        status = new JsonObject().put("runs", new JsonArray(List.copyOf(runs.keySet()))).put("attempts", attempts)
                .put("draining", draining);
    }

    /** Fashion-MNIST from the dashboard node's data folder, from a training thread (it waits for the copy). */
    private boolean copyFashionMnist(Path dir) throws IOException {
        try {
            for (String name : FashionMnist.FILES) {
                JsonObject request = new JsonObject().put("name", name);
                io.vertx.core.Promise<Path> copied = io.vertx.core.Promise.promise();
                context.runOnContext(v -> dashboardFiles.copy(NodeBus.DATASET_FILE, request, dir).onComplete(copied));
                copied.future().await();
            }
            LOG.log(System.Logger.Level.INFO, "copied Fashion-MNIST from the dashboard node into " + dir);
            return true;
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        consumers.forEach(MessageConsumer::unregister);
        runs.values().forEach(r -> r.stop(StopReason.INTERRUPT));
        trainingThreads.shutdown();
        try {
            if (!trainingThreads.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "training threads still running after " + STOP_WAIT_SECONDS
                        + " s; leaving them behind");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<NodeRun> all = List.copyOf(runs.values());
        for (NodeRun run : all) {
            if (run.job != null && run.job.outcome() != null) {
                end(run, run.job.outcome());
            }
        }
        return Future.all(all.stream().map(r -> r.outbox.emptied()).toList())
                .timeout(STOP_WAIT_SECONDS, TimeUnit.SECONDS)
                .otherwise(e -> {
                    LOG.log(System.Logger.Level.WARNING, "the dashboard did not take every last report within "
                            + STOP_WAIT_SECONDS + " s: " + e.getMessage());
                    return null;
                });
    }

}
