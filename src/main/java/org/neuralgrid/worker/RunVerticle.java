package org.neuralgrid.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.neuralgrid.bus.RunBus;
import org.neuralgrid.bus.RunStatus;
import org.neuralgrid.engine.Device;
import org.neuralgrid.engine.MetricsCsv;
import org.neuralgrid.engine.RunFiles;
import org.neuralgrid.io.HeatmapFrame;
import org.neuralgrid.io.MapKind;
import org.neuralgrid.engine.catalog.BackendCatalog;
import org.neuralgrid.model.InvalidConfigException;
import org.neuralgrid.model.RunConfigJson;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.store.RunRecord;
import org.neuralgrid.store.RunStore;
import org.neuralgrid.worker.TrainingJob.Outcome;

/**
 * The training side of the event bus: answers every request of {@link RunBus}, keeps the {@link RunStore} and
 * trains the runs. Deploy it with {@code ThreadingModel.WORKER} and the config
 * {@code {"dataDir": "...", "maxConcurrent": 0}} (0: auto).
 *
 * <p>Runs wait in a first-come queue and start as their devices have room ({@link DevicePacking}: several runs
 * share a GPU by memory and the CPU by cores; {@code maxConcurrent}, when not 0 for auto, is a ceiling on all of
 * them), each on a platform thread of its own ("neuralgrid-train-N"). The queue, the table of running jobs and every status change belong to this
 * verticle's context: request handlers run there, and a training thread hands its ending back there with
 * {@code runOnContext}. The training threads themselves write only epochs, heatmaps and the device to the store,
 * and publish progress, epoch and heatmap events directly.
 *
 * <p>Stopping the verticle stops the running jobs at their next batch, waits for them a little, and leaves them
 * interrupted (resumable from their last checkpoint); queued runs stay queued for the next start.
 */
public final class RunVerticle extends VerticleBase {
    public static final String DATA_DIR = "dataDir";
    public static final String MAX_CONCURRENT = "maxConcurrent";
    /** true: the dashboard node of a cluster, whose runs train on worker nodes ({@link NodeLanes}). */
    public static final String CLUSTER = "cluster";
    /** With a cluster: whether the runs of a node that went continue on another by themselves (default true). */
    public static final String RESUME_ELSEWHERE = "resumeElsewhere";
    public static final String FASHION_MNIST_FOLDER = "fashion-mnist";
    private static final long STOP_WAIT_SECONDS = 10;
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    private static final System.Logger LOG = System.getLogger(RunVerticle.class.getName());

    private final Deque<String> queue = new ArrayDeque<>();
    private final Map<String, RunHandle> running = new LinkedHashMap<>();
    private final List<MessageConsumer<?>> consumers = new ArrayList<>();
    private RunStore store;
    private TrainingDataSource data;
    private ExecutorService trainingThreads;
    private final BackendCatalog backends = BackendCatalog.standard();
    private final MeterRegistry registry;
    private RunEvents events;
    private RunMeters meters;
    private RunProbes probes;
    private List<Device> devices;
    private DevicePacking packing;
    private SweepRequests sweeps;
    private final QueueView queueView = new QueueView();
    /** With a cluster: the worker nodes, where the runs train; null otherwise. */
    private NodeLanes nodes;
    /** Where each running run trains (the same keys as {@link #running}). */
    private final Map<String, DevicePacking.Placed> placed = new HashMap<>();
    private boolean stopping;
    private volatile int interruptedOnStop;
    private volatile int queuedOnStop;
    private volatile int onNodesOnStop;

    /** A training side whose meters nobody reads. */
    public RunVerticle() {
        this(new SimpleMeterRegistry());
    }

    /** A training side that keeps its meters ({@link RunMeters}) in {@code registry}. */
    public RunVerticle(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Future<?> start() {
        String dataDir = config().getString(DATA_DIR);
        int maxConcurrent = config().getInteger(MAX_CONCURRENT, DevicePacking.AUTO);
        if (dataDir == null || dataDir.isBlank() || maxConcurrent < 0) {
            return Future.failedFuture(new IllegalArgumentException("RunVerticle needs {\"dataDir\": a folder,"
                    + " \"maxConcurrent\": 1 or more, or 0 for auto}, got " + config()));
        }
        store = RunStore.open(Path.of(dataDir));
        events = new RunEvents(vertx.eventBus());
        try {
            data = new TrainingDataSource(Path.of(dataDir).resolve(FASHION_MNIST_FOLDER), events::datasetProgress);
            devices = backends.devices();
            packing = new DevicePacking(devices, backends::place, maxConcurrent);
            sweeps = new SweepRequests(store, this::checkedDevices, queueView);
            trainingThreads = Executors.newCachedThreadPool(trainingThreadFactory("neuralgrid-train-"));
            meters = new RunMeters(registry);
            answerRequests();
            if (config().getBoolean(CLUSTER, false)) {
                nodes = new NodeLanes(vertx, store, events, meters,
                        Path.of(dataDir).resolve(FASHION_MNIST_FOLDER), config().getBoolean(RESUME_ELSEWHERE, true),
                        queueView);
                consumers.addAll(nodes.start());
            } else {
                store.runningOnNodes().forEach(run -> store.lost(run.id(), "this server was started without"
                        + " --cluster, so no node can report on the run; resume continues from its last checkpoint"));
            }
            probes = new RunProbes(vertx, store, Path.of(dataDir).resolve(FASHION_MNIST_FOLDER));
            store.queued().forEach(run -> queue.add(run.id()));
            startQueuedRuns();
        } catch (RuntimeException e) {
            if (meters != null) {
                meters.close();
            }
            store.close();
            throw e;
        }
        return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
    }

    private void answerRequests() {
        answer(RunBus.START, this::startRun);
        answer(RunBus.LIST, body -> RunMessages.runs(store.list()));
        answer(RunBus.GET, this::runDetails);
        answer(RunBus.METRICS, this::runMetrics);
        answer(RunBus.METRICS_CSV, this::metricsCsv);
        answer(RunBus.CANCEL, this::cancelRun);
        answer(RunBus.RESUME, this::resumeRun);
        answer(RunBus.DELETE, this::deleteRun);
        answer(RunBus.HEATMAP, this::heatmap);
        answer(RunBus.WEIGHTS, this::weights);
        answer(RunBus.DEVICES, body -> RunMessages.devices(nodes == null ? devices : nodes.devices()));
        answer(RunBus.DATASETS, body -> new JsonObject().put("fashionMnist", data.fashionMnistState()));
        answer(RunBus.CHECK, this::checkConfig);
        answer(RunBus.PROBE, this::probe);
        answer(RunBus.TEST_IMAGES, body -> probes.testImages(existingRun(body), body));
        answer(RunBus.SWEEP_START, sweeps::start);
        answer(RunBus.SWEEP_CHECK, sweeps::check);
        answer(RunBus.SWEEP_LIST, body -> sweeps.list());
        answer(RunBus.SWEEP_GET, sweeps::details);
        answer(RunBus.SWEEP_CANCEL, sweeps::cancel);
        answer(RunBus.SWEEP_RESUME, sweeps::resume);
        answer(RunBus.SWEEP_EXPORT, sweeps::export);
        answer(RunBus.SWEEP_DELETE, sweeps::delete);
    }

    /**
     * Runs trained on worker nodes keep training while this node is away: they stay running in the store, and the
     * next start finds them again.
     */
    @Override
    public Future<?> stop() {
        stopping = true;
        if (nodes != null) {
            nodes.stop();
        }
        consumers.forEach(MessageConsumer::unregister);
        List<TrainingJob> jobs = running.values().stream().filter(h -> h instanceof TrainingJob)
                .map(h -> (TrainingJob) h).toList();
        interruptedOnStop = jobs.size();
        queuedOnStop = queue.size();
        onNodesOnStop = running.size() - jobs.size();
        queue.clear();
        jobs.forEach(job -> job.requestStop(StopReason.INTERRUPT));
        trainingThreads.shutdown();
        try {
            if (!trainingThreads.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "training threads still running after "
                        + STOP_WAIT_SECONDS + " s; leaving them behind");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            jobs.forEach(this::settleQuietly);
            running.clear();
        } finally {
            meters.close();
            store.close();
        }
        return Future.succeededFuture();
    }

    /** Runs that were training when the verticle stopped (they saved their state and are interrupted). */
    public int interruptedOnStop() {
        return interruptedOnStop;
    }

    /** Runs that were training on worker nodes when the verticle stopped (they keep training). */
    public int onNodesOnStop() {
        return onNodesOnStop;
    }

    /** Runs that were waiting when the verticle stopped (they stay queued for the next start). */
    public int queuedOnStop() {
        return queuedOnStop;
    }

    // ---- requests ----

    private JsonObject startRun(JsonObject body) {
        StartRequest request = StartRequest.parse(body, checkedDevices(), RunConfig.defaultMemoryBudget());
        RunRecord run = store.create(request.name(), request.config());
        queue.add(run.id());
        statusChanged(run);
        startQueuedRuns();
        return new JsonObject().put("id", run.id());
    }

    /** The summary, the configuration, and the runs that share its device now. */
    private JsonObject runDetails(JsonObject body) {
        RunRecord run = existingRun(body);
        return RunMessages.details(run).put("sharedWith", new JsonArray(sharedWith(run.id())));
    }

    /**
     * A probe of the run's live parameters while it trains (its job's, or those of the worker node that trains it),
     * else of its saved weights.
     */
    private Future<JsonObject> probe(JsonObject body) {
        RunRecord run = existingRun(body);
        RunHandle handle = running.get(run.id());
        if (handle instanceof TrainingJob job) {
            return probes.probe(run, body, () -> job.snapshots().request());
        }
        return probes.probe(run, body, handle != null && nodes != null ? nodes.live(run) : null);
    }

    /** What START would answer, without starting anything: the errors, and the estimate where there is one. */
    private JsonObject checkConfig(JsonObject body) {
        RunConfig config;
        try {
            config = RunConfigJson.fromTree(StartRequest.configTree(body));
        } catch (InvalidConfigException e) {
            return RunMessages.check(null, e.errors());
        }
        try {
            StartRequest.check(config, checkedDevices(), RunConfig.defaultMemoryBudget());
            return RunMessages.check(config, List.of());
        } catch (InvalidConfigException e) {
            return RunMessages.check(config, e.errors());
        }
    }

    private JsonObject runMetrics(JsonObject body) {
        RunRecord run = existingRun(body);
        return RunMessages.metrics(run, store.metrics(run.id()));
    }

    private String metricsCsv(JsonObject body) {
        RunRecord run = existingRun(body);
        return MetricsCsv.write(store.metrics(run.id()), run.bestEpoch() == null ? 0 : run.bestEpoch());
    }

    private JsonObject cancelRun(JsonObject body) {
        RunRecord run = existingRun(body);
        if (!run.status().active()) {
            throw new Refusal(RunBus.CONFLICT, "run " + run.id() + " is " + run.status().id()
                    + "; only " + RunStatus.words(RunStatus::active) + " runs can be cancelled");
        }
        return RunMessages.summary(cancel(run));
    }

    /** Takes a queued run off the queue, or stops a running one at its next batch: cancelled either way. */
    private RunRecord cancel(RunRecord run) {
        queue.remove(run.id());
        RunHandle job = running.get(run.id());
        if (job != null) {
            job.requestStop(StopReason.CANCEL);
        }
        return changeStatus(run.id(), RunStatus.CANCELLED, null).orElse(run);
    }

    private JsonObject resumeRun(JsonObject body) {
        RunRecord run = existingRun(body);
        RunStatus s = run.status();
        if (!s.resumable()) {
            throw new Refusal(RunBus.CONFLICT, "run " + run.id() + " is " + s.id()
                    + "; only " + RunStatus.words(RunStatus::resumable) + " runs can be resumed");
        }
        if (running.containsKey(run.id())) {
            throw new Refusal(RunBus.CONFLICT, "run " + run.id() + " is still stopping; try again in a moment");
        }
        if (!Files.exists(store.runFiles(run.id()).checkpoint())) {
            throw new Refusal(RunBus.CONFLICT, "run " + run.id() + " has no checkpoint to resume from");
        }
        changeStatus(run.id(), RunStatus.QUEUED, null);
        queue.add(run.id());
        startQueuedRuns();
        return RunMessages.summary(store.find(run.id()).orElse(run));
    }

    /** Cancels a queued or running run first; a running one's folder goes again once its thread has ended. */
    private JsonObject deleteRun(JsonObject body) {
        delete(existingRun(body));
        return new JsonObject();
    }

    private void delete(RunRecord run) {
        queue.remove(run.id());
        RunHandle job = running.get(run.id());
        if (job != null) {
            job.requestStop(StopReason.DELETE);
        }
        if (run.status().active()) {
            changeStatus(run.id(), RunStatus.CANCELLED, "deleted");
        }
        if (job == null) {
            store.delete(run.id());
        } else {
            // its thread may still write a file or two before it stops: the folder goes when it has (settle)
            store.forget(run.id());
        }
        count();
    }

    /** {@code {"id", "epoch", "kind"?}}: the mean maps by default; a kind the run has no frame of is 404. */
    private Buffer heatmap(JsonObject body) {
        RunRecord run = existingRun(body);
        Object epoch = body.getValue("epoch");
        if (!(epoch instanceof Integer || epoch instanceof Long)) {
            throw new Refusal(RunBus.BAD_REQUEST, "\"epoch\" must be a whole number, got " + epoch);
        }
        MapKind kind = mapKind(body);
        long e = ((Number) epoch).longValue();
        String what = kind == MapKind.MEAN ? "heatmap" : kind.id() + " heatmap";
        byte[] frame = store.readHeatmap(run.id(), kind, (int) Math.max(-1, Math.min(Integer.MAX_VALUE, e)))
                .orElseThrow(() -> new Refusal(RunBus.NOT_FOUND, "run " + run.id() + " has no " + what + " of epoch "
                        + e));
        try {
            HeatmapFrame.decode(frame);
        } catch (IllegalArgumentException damaged) {
            throw new Refusal(RunBus.FAILED, "the " + what + " of epoch " + e + " of run " + run.id() + " is damaged"
                    + " on disk (" + damaged.getMessage() + ")");
        }
        return Buffer.buffer(frame);
    }

    /** The message's "kind" (absent: mean); anything else is a 400 naming the kinds. */
    private static MapKind mapKind(JsonObject body) {
        Object kind = body.getValue("kind", MapKind.MEAN.id());
        try {
            return MapKind.of(kind instanceof String text ? text : String.valueOf(kind));
        } catch (IllegalArgumentException unknown) {
            throw new Refusal(RunBus.BAD_REQUEST, "\"kind\" " + unknown.getMessage());
        }
    }

    /** {@code {"id", "which"?: "final" | "best"}}: final by default. */
    private Buffer weights(JsonObject body) {
        RunRecord run = existingRun(body);
        RunFiles.Weights which;
        try {
            which = RunFiles.Weights.parse(body.getString("which", "final"));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new Refusal(RunBus.BAD_REQUEST, "\"which\" must be final or best, got " + body.getValue("which"));
        }
        return store.readWeights(run.id(), which)
                .map(Buffer::buffer)
                .orElseThrow(() -> new Refusal(RunBus.NOT_FOUND, "run " + run.id() + " has no " + which.id()
                        + " weights yet"));
    }

    /**
     * The devices a run's backend is checked against: this server's; with a cluster none (null): a run waits in the
     * queue until a node with a device for its backend takes it.
     */
    private List<Device> checkedDevices() {
        return nodes == null ? devices : null;
    }

    /** The run a request's {@code "id"} names: 400 without an id, 404 for one that is not a stored run. */
    private RunRecord existingRun(JsonObject body) {
        return Refusal.unlessMissing(body, "run", store::find);
    }

    /** The other runs that train on the same device as this one right now (none when it does not train). */
    private List<String> sharedWith(String id) {
        DevicePacking.Placed where = placed.get(id);
        return where == null ? List.of() : placed.entrySet().stream()
                .filter(e -> !e.getKey().equals(id) && e.getValue().lane().equals(where.lane()))
                .map(Map.Entry::getKey).toList();
    }

    /** The queue as the sweeps and the worker nodes' lanes see it: all on this verticle's context. */
    private final class QueueView implements SweepRequests.RunQueue, NodeLanes.Queue {
        @Override
        public void add(RunRecord run) {
            queue.add(run.id());
            statusChanged(run);
        }

        @Override
        public void requeue(String id) {
            changeStatus(id, RunStatus.QUEUED, null);
            queue.add(id);
        }

        @Override
        public RunRecord cancel(RunRecord run) {
            return RunVerticle.this.cancel(run);
        }

        @Override
        public void delete(RunRecord run) {
            RunVerticle.this.delete(run);
        }

        @Override
        public boolean training(String id) {
            return running.containsKey(id);
        }

        @Override
        public void startQueued() {
            startQueuedRuns();
        }

        @Override
        public int sharing(String id) {
            return sharedWith(id).size();
        }

        @Override
        public Deque<String> queue() {
            return queue;
        }

        @Override
        public Map<String, RunHandle> running() {
            return running;
        }

        @Override
        public void statusChanged(RunRecord run) {
            RunVerticle.this.statusChanged(run);
        }

        @Override
        public void ended(String id, StopReason asked, Outcome outcome) {
            running.remove(id);
            settleQuietly(id, asked, outcome);
            startQueuedRuns();
        }
    }

    // ---- the queue and the training threads ----

    /**
     * Starts queued runs, oldest first, while their devices have room ({@link DevicePacking}). A run that does not
     * fit holds back the later runs of its device (no overtaking), not those of another device.
     */
    private void startQueuedRuns() {
        if (nodes != null) {
            nodes.place();
            count();
            return;
        }
        Set<String> fullLanes = new HashSet<>();
        Iterator<String> next = queue.iterator();
        while (!stopping && packing.belowCeiling(running.size()) && fullLanes.size() < packing.lanes()
                && next.hasNext()) {
            String id = next.next();
            Optional<RunRecord> run = store.find(id).filter(r -> r.status() == RunStatus.QUEUED);
            if (run.isEmpty() || running.containsKey(id)) {
                next.remove();
                continue;
            }
            DevicePacking.Placed where = packing.place(run.get().config());
            if (fullLanes.contains(where.lane()) || !packing.fits(where, placed.values())) {
                fullLanes.add(where.lane());
                continue;
            }
            next.remove();
            int threads = packing.cpuThreads(run.get().config(), where, placed.values(), cpuRunsWaiting(id));
            placed.put(id, where);
            launch(run.get(), threads);
        }
        count();
    }

    /** The queued runs from {@code id} on (it included) that would train on the host's cores. */
    private int cpuRunsWaiting(String id) {
        int n = 0;
        boolean from = false;
        for (String q : queue) {
            from |= q.equals(id);
            boolean onCpu = from && store.find(q).filter(r -> r.status() == RunStatus.QUEUED)
                    .map(r -> DevicePacking.onCpu(packing.place(r.config()))).orElse(false);
            if (onCpu && ++n >= packing.cpuRuns()) {
                break;
            }
        }
        return Math.max(1, n);
    }

    /** Starts a run on a training thread; {@code threads}: the CPU threads it gets (0: its own choice). */
    private void launch(RunRecord queued, int threads) {
        RunRecord run = store.markStarted(queued.id()).orElse(queued);
        statusChanged(run);
        meters.started(run.id(), run.config().batch(), run.epoch());
        TrainingJob job = new TrainingJob(run.id(), run.config(), threads,
                new StoreLedger(run.id(), store, events, meters), data, backends);
        running.put(run.id(), job);
        trainingThreads.execute(() -> {
            job.run();
            try {
                context.runOnContext(v -> jobEnded(job));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "run " + job.id() + " ended after the worker had gone", e);
            }
        });
    }

    private void jobEnded(TrainingJob job) {
        if (stopping) {
            return;
        }
        running.remove(job.id());
        placed.remove(job.id());
        meters.ended(job.id());
        settleQuietly(job);
        startQueuedRuns();
    }

    private void settleQuietly(TrainingJob job) {
        settleQuietly(job.id(), job.stopReason(), job.outcome());
    }

    private void settleQuietly(String id, StopReason asked, Outcome outcome) {
        try {
            settle(id, asked, outcome);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "could not record the end of run " + id, e);
        }
    }

    /**
     * Writes how a job ended. A completed or failed job says so (a failure does not overwrite a cancellation
     * asked for); a job stopped by the server is interrupted; a deleted run's folder goes.
     */
    private void settle(String id, StopReason asked, Outcome outcome) {
        if (asked == StopReason.DELETE) {
            store.delete(id);
            return;
        }
        RunStatus current = store.find(id).map(RunRecord::status).orElse(null);
        if (current == null) {
            return;
        }
        if (outcome != null && (outcome.status() == RunStatus.COMPLETED
                || outcome.status() == RunStatus.FAILED && current != RunStatus.CANCELLED)) {
            changeStatus(id, outcome.status(), outcome.message());
        } else if (current == RunStatus.RUNNING) {
            boolean serverStopped = asked == StopReason.INTERRUPT;
            changeStatus(id, serverStopped ? RunStatus.INTERRUPTED : RunStatus.CANCELLED,
                    serverStopped ? RunStore.INTERRUPTED_MESSAGE : null);
        }
    }

    /** Daemon threads named {@code prefix} and a number, for training jobs (here and on worker nodes). */
    static ThreadFactory trainingThreadFactory(String prefix) {
        return task -> {
            Thread t = new Thread(task, prefix + THREAD_NUMBER.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ---- events and replies ----

    private Optional<RunRecord> changeStatus(String id, RunStatus status, String message) {
        Optional<RunRecord> run = store.setStatus(id, status, message);
        run.ifPresent(this::statusChanged);
        return run;
    }

    /** Every change of status goes out as events and into the meters' counts. */
    private void statusChanged(RunRecord run) {
        events.statusChanged(run);
        count();
    }

    private void count() {
        meters.counted(store.countByStatus(), queue.size());
    }

    /**
     * Answers requests on {@code address}: the handler's result is the reply (a future's once it completes);
     * exceptions become failure codes.
     */
    private void answer(String address, Function<JsonObject, Object> handler) {
        consumers.add(vertx.eventBus().consumer(address, (Message<Object> message) -> {
            try {
                Object reply = handler.apply(RunMessages.bodyOf(message));
                if (reply instanceof Future<?> later) {
                    later.onSuccess(message::reply).onFailure(e -> fail(message, address, e));
                } else {
                    message.reply(reply);
                }
            } catch (RuntimeException e) {
                fail(message, address, e);
            }
        }));
    }

    private static void fail(Message<Object> message, String address, Throwable e) {
        if (e instanceof Refusal r) {
            message.fail(r.code(), r.getMessage());
        } else if (e instanceof InvalidConfigException invalid) {
            message.fail(RunBus.BAD_REQUEST, RunMessages.fieldErrors(invalid.errors()));
        } else {
            LOG.log(System.Logger.Level.ERROR, "request to " + address + " failed", e);
            message.fail(RunBus.FAILED, String.valueOf(e.getMessage()));
        }
    }

}
