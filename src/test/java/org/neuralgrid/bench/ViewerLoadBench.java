package org.neuralgrid.bench;

import static org.neuralgrid.bench.BenchSupport.JSON;
import static org.neuralgrid.bench.BenchSupport.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.neuralgrid.bus.RunBus;

/**
 * Training speed with 50 WebSocket viewers on a 128x128 run, against none: the claim to check is that viewers
 * cost the training less than 5 %.
 *
 * <p>One real dashboard (one Vert.x, as {@code serve} makes it) on a fresh data folder trains the same synthetic
 * run (128x128, batch 256, 15000 samples, 40 epochs, all cores) under three conditions:
 * <ul>
 * <li>{@code none}: no WebSocket client;</li>
 * <li>{@code viewers}: 50 Vert.x WebSocket clients on {@code /ws/runs/{id}}, connected right after the run is
 *     created, each reading every frame;</li>
 * <li>{@code viewers_half_slow}: the same, but half of them pause their socket at once and give it a small
 *     receive buffer, so the server's write queues fill (they are resumed after the run, to count what they
 *     were sent). The kernel's socket buffers on loopback swallow some 4.5 MB per paused client before the
 *     server sees a full queue; a 128x128 heatmap frame is 164 kB, so it takes some 30 epochs before the
 *     server starts dropping progress frames and holding heatmaps for them: hence 40 epochs. The slow clients'
 *     {@code heatmaps} and {@code texts} counts, below those of the fast ones, show that it did.</li>
 * </ul>
 * The conditions are interleaved in rotating order for {@code --rounds} rounds (the machine's load drifts), after
 * one short warm-up run. Per run, the epochs after the first give:
 * <ul>
 * <li>{@code epochSeconds}: the {@code seconds} of {@code GET /api/runs/{id}/metrics} (the training steps of the
 *     epoch, as the run page shows them);</li>
 * <li>{@code wallEpochSeconds}: the time between consecutive epoch events on the event bus (adds the test
 *     evaluation, the activation maps, the store), seen by an in-process consumer present in every
 *     condition;</li>
 * <li>the CPU time the HTTP verticle's event-loop thread spent during the run (its share of the whole JVM's CPU
 *     time: a measure of the fan-out's cost that the machine's load disturbs far less than seconds do), and the
 *     time the JVM spent in garbage collection.</li>
 * </ul>
 * {@code ratioToNone} divides the pooled medians; {@code ratioToNoneByRound} divides within each round first.
 * The clients run in a second Vert.x instance of the same JVM, so their CPU comes out of the same cores as the
 * training: with real browsers on other machines the cost to training would be lower, not higher.
 *
 * <p>Options: {@code --viewers 50 --rounds 3 --grid 128x128 --batch 256 --samples 15000 --test-samples 2000
 * --epochs 40 --threads 0 --slow-fraction 0.5 --slow-receive-buffer 8192 --keep}.
 */
public final class ViewerLoadBench {
    private static final List<String> CONDITIONS = List.of("none", "viewers", "viewers_half_slow");

    private ViewerLoadBench() {
    }

    public static void main(String[] argv) throws Exception {
        BenchSupport.Args args = new BenchSupport.Args(argv);
        int viewers = args.integer("viewers", 50);
        int rounds = args.integer("rounds", 3);
        int[] hw = BenchSupport.grid(args.string("grid", "128x128"));
        int batch = args.integer("batch", 256);
        int samples = args.integer("samples", 15000);
        int testSamples = args.integer("test-samples", 2000);
        int epochs = args.integer("epochs", 40);
        int threads = args.integer("threads", 0);
        double slowFraction = args.number("slow-fraction", 0.5);
        int slowBuffer = args.integer("slow-receive-buffer", 8192);
        ObjectNode config = BenchSupport.syntheticRun(hw[0], hw[1], samples, testSamples, batch, epochs, threads);

        ObjectNode result = JSON.createObjectNode().put("bench", "viewer-load");
        result.set("machineBefore", BenchSupport.machine());
        Vertx clients = Vertx.vertx();
        try (BenchSupport.Server server = BenchSupport.Server.start("neuralgrid-bench-viewers", null,
                args.flag("keep"))) {
            Context http = BenchSupport.httpContext(server.dashboard);
            Thread httpThread = http == null ? null : BenchSupport.threadOf(http);
            WebSocketClient fast = clients.createWebSocketClient(new WebSocketClientOptions()
                    .setMaxMessageSize(16 << 20).setMaxFrameSize(16 << 20));
            WebSocketClient slow = clients.createWebSocketClient(new WebSocketClientOptions()
                    .setMaxMessageSize(16 << 20).setMaxFrameSize(16 << 20).setReceiveBufferSize(slowBuffer));

            log("warm-up run (3 epochs, no viewers)");
            ObjectNode warm = config.deepCopy().put("epochs", 3);
            oneRun(server, clients, fast, slow, warm, "warm-up", 0, 0, httpThread);

            Map<String, List<ObjectNode>> runs = new LinkedHashMap<>();
            CONDITIONS.forEach(c -> runs.put(c, new ArrayList<>()));
            for (int r = 0; r < rounds; r++) {
                List<String> order = new ArrayList<>(CONDITIONS);
                Collections.rotate(order, -r);
                for (String condition : order) {
                    int n = condition.equals("none") ? 0 : viewers;
                    int slowCount = condition.equals("viewers_half_slow") ? (int) Math.round(n * slowFraction) : 0;
                    log("round " + (r + 1) + "/" + rounds + ": " + condition + " (" + n + " viewers, " + slowCount
                            + " slow)");
                    ObjectNode run = oneRun(server, clients, fast, slow, config, condition, n, slowCount,
                            httpThread);
                    run.put("round", r + 1);
                    runs.get(condition).add(run);
                    log("  " + run);
                }
            }

            ObjectNode byCondition = JSON.createObjectNode();
            Map<String, Double> medians = new LinkedHashMap<>();
            Map<String, Double> wallMedians = new LinkedHashMap<>();
            for (String condition : CONDITIONS) {
                List<Double> seconds = new ArrayList<>();
                List<Double> wall = new ArrayList<>();
                List<Double> loopCpu = new ArrayList<>();
                ArrayNode perRun = JSON.createArrayNode();
                for (ObjectNode run : runs.get(condition)) {
                    run.get("epochSeconds").forEach(v -> seconds.add(v.asDouble()));
                    run.get("wallEpochSeconds").forEach(v -> wall.add(v.asDouble()));
                    loopCpu.add(run.get("httpLoopCpuMs").asDouble());
                    perRun.add(run);
                }
                ObjectNode c = JSON.createObjectNode();
                c.set("epochSeconds", BenchSupport.summary(seconds));
                c.set("wallEpochSeconds", BenchSupport.summary(wall));
                c.set("httpLoopCpuMsPerRun", BenchSupport.summary(loopCpu));
                c.set("runs", perRun);
                byCondition.set(condition, c);
                medians.put(condition, BenchSupport.median(seconds));
                wallMedians.put(condition, BenchSupport.median(wall));
            }
            ObjectNode ratios = JSON.createObjectNode();
            ObjectNode paired = JSON.createObjectNode();
            for (String condition : CONDITIONS.subList(1, CONDITIONS.size())) {
                double ratio = medians.get(condition) / medians.get("none");
                double wallRatio = wallMedians.get(condition) / wallMedians.get("none");
                ratios.put(condition, BenchSupport.round(ratio));
                ratios.put(condition + "_wall", BenchSupport.round(wallRatio));
                ratios.put(condition + "_within5pct", ratio <= 1.05);
                // the same ratio within each round (its runs were minutes apart at most), then their median
                List<Double> perRound = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    perRound.add(runs.get(condition).get(r).get("medianEpochSeconds").asDouble()
                            / runs.get("none").get(r).get("medianEpochSeconds").asDouble());
                }
                ObjectNode p = BenchSupport.summary(perRound);
                p.set("rounds", BenchSupport.array(perRound));
                paired.set(condition, p);
            }
            result.set("ratioToNone", ratios);
            result.set("ratioToNoneByRound", paired);
            result.set("conditions", byCondition);
        } finally {
            BenchSupport.await(clients.close(), 30);
        }
        result.put("viewers", viewers).put("rounds", rounds).put("slowFraction", slowFraction)
                .put("slowReceiveBuffer", slowBuffer);
        result.set("run", config);
        result.set("machineAfter", BenchSupport.machine());
        System.out.println(JSON.writeValueAsString(result));
    }

    /** Trains one run with {@code n} viewers ({@code slowCount} of them paused) and returns its figures. */
    private static ObjectNode oneRun(BenchSupport.Server server, Vertx clients, WebSocketClient fast,
                                     WebSocketClient slow, ObjectNode config, String condition, int n, int slowCount,
                                     Thread httpThread) throws Exception {
        double loopCpu0 = BenchSupport.cpuMillis(httpThread);
        double processCpu0 = BenchSupport.processCpuMillis();
        double gc0 = BenchSupport.gcMillis();
        long t0 = System.nanoTime();
        String id = server.startRun("viewers " + condition, config);

        // epoch events as the event bus delivers them, and the end of the run
        ConcurrentSkipListMap<Integer, Long> epochArrivals = new ConcurrentSkipListMap<>();
        CompletableFuture<String> ended = new CompletableFuture<>();
        MessageConsumer<JsonObject> consumer = server.vertx.eventBus().consumer(RunBus.events(id), m -> {
            JsonObject e = m.body();
            String type = e.getString("type");
            if ("epoch".equals(type)) {
                epochArrivals.putIfAbsent(e.getInteger("epoch"), System.nanoTime());
            } else if ("status".equals(type) && BenchSupport.TERMINAL.contains(e.getString("status"))) {
                ended.complete(e.getString("status"));
            }
        });
        BenchSupport.await(consumer.completion(), 10);

        List<Viewer> viewers = new ArrayList<>();
        List<Future<WebSocket>> connecting = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Viewer v = new Viewer(i < slowCount);
            viewers.add(v);
            WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port())
                    .setURI("/ws/runs/" + id);
            connecting.add((v.slow ? slow : fast).connect(o).onSuccess(v::attach));
        }
        BenchSupport.await(Future.all(connecting), 60);
        double connectMs = (System.nanoTime() - t0) / 1e6;

        // the run's end: the status event, or (should it be missed) the API every 2 s
        String status = null;
        while (status == null) {
            try {
                status = ended.get(2, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                String s = server.status(id);
                if (BenchSupport.TERMINAL.contains(s)) {
                    status = s;
                }
            }
        }
        double runMs = (System.nanoTime() - t0) / 1e6;
        double loopCpu = BenchSupport.cpuMillis(httpThread) - loopCpu0;
        double processCpu = BenchSupport.processCpuMillis() - processCpu0;
        double gc = BenchSupport.gcMillis() - gc0;
        BenchSupport.await(consumer.unregister(), 10);
        if (!"completed".equals(status)) {
            throw new IllegalStateException("run " + id + " ended " + status + ": " + server.get("/api/runs/" + id));
        }

        // the slow clients read what was held for them; then everything closes
        viewers.stream().filter(v -> v.slow).forEach(Viewer::resume);
        awaitQuiet(viewers, Duration.ofSeconds(20));
        List<Future<Void>> closing = new ArrayList<>();
        for (Viewer v : viewers) {
            if (v.ws != null && !v.ws.isClosed()) {
                closing.add(v.ws.close());
            }
        }
        BenchSupport.await(Future.join(closing).transform(x -> Future.succeededFuture()), 30);

        List<JsonNode> epochs = server.epochs(id);
        List<Double> seconds = new ArrayList<>();
        for (JsonNode e : epochs) {
            if (e.path("epoch").asInt() > 1) {
                seconds.add(e.path("seconds").asDouble());
            }
        }
        List<Double> wall = new ArrayList<>();
        Long previous = null;
        for (Map.Entry<Integer, Long> e : epochArrivals.entrySet()) {
            if (previous != null && e.getKey() > 1) {
                wall.add((e.getValue() - previous) / 1e9);
            }
            previous = e.getValue();
        }

        ObjectNode o = JSON.createObjectNode().put("condition", condition).put("id", id).put("viewers", n)
                .put("slow", slowCount);
        o.set("epochSeconds", BenchSupport.array(seconds));
        o.set("wallEpochSeconds", BenchSupport.array(wall));
        o.put("medianEpochSeconds", BenchSupport.round(BenchSupport.median(seconds)));
        o.put("medianWallEpochSeconds", BenchSupport.round(BenchSupport.median(wall)));
        o.put("connectMs", BenchSupport.round(connectMs)).put("runMs", BenchSupport.round(runMs));
        o.put("httpLoopCpuMs", BenchSupport.round(loopCpu)).put("processCpuMs", BenchSupport.round(processCpu));
        o.put("httpLoopCpuShare", BenchSupport.round(loopCpu / processCpu));
        o.put("gcMs", BenchSupport.round(gc));
        if (n > 0) {
            o.set("fastClients", Viewer.summary(viewers, false));
            if (slowCount > 0) {
                o.set("slowClients", Viewer.summary(viewers, true));
            }
        }
        return o;
    }

    /** Waits until no viewer has received anything for a second (or the timeout passes). */
    private static void awaitQuiet(List<Viewer> viewers, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long total = viewers.stream().mapToLong(v -> v.messages.get()).sum();
            if (total != last) {
                last = total;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(1)) {
                return;
            }
            Thread.sleep(50);
        }
    }

    /** One WebSocket client: counts what it reads (a substring test, not a JSON parse, to stay cheap). */
    private static final class Viewer {
        final boolean slow;
        final AtomicLong messages = new AtomicLong();
        final AtomicLong texts = new AtomicLong();
        final AtomicLong heatmaps = new AtomicLong();
        final AtomicLong epochs = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        volatile WebSocket ws;
        volatile Short closeCode;

        Viewer(boolean slow) {
            this.slow = slow;
        }

        void attach(WebSocket socket) {
            ws = socket;
            if (slow) {
                socket.pause();
            }
            socket.textMessageHandler(text -> {
                messages.incrementAndGet();
                texts.incrementAndGet();
                bytes.addAndGet(text.length());
                if (text.contains("\"type\":\"epoch\"")) {
                    epochs.incrementAndGet();
                }
            });
            socket.binaryMessageHandler(frame -> {
                messages.incrementAndGet();
                heatmaps.incrementAndGet();
                bytes.addAndGet(frame.length());
            });
            socket.closeHandler(v -> closeCode = socket.closeStatusCode());
            socket.exceptionHandler(e -> {
            });
        }

        void resume() {
            if (ws != null) {
                ws.resume();
            }
        }

        /** Per group: what the clients read (min/median/max) and how many the server closed. */
        static ObjectNode summary(List<Viewer> viewers, boolean slow) {
            List<Viewer> group = viewers.stream().filter(v -> v.slow == slow).toList();
            ObjectNode o = JSON.createObjectNode().put("clients", group.size());
            o.set("texts", BenchSupport.summary(group.stream().map(v -> (double) v.texts.get()).toList()));
            o.set("epochFrames", BenchSupport.summary(group.stream().map(v -> (double) v.epochs.get()).toList()));
            o.set("heatmaps", BenchSupport.summary(group.stream().map(v -> (double) v.heatmaps.get()).toList()));
            o.set("megabytes", BenchSupport.summary(group.stream().map(v -> v.bytes.get() / 1e6).toList()));
            o.put("closedByServer", group.stream().filter(v -> v.closeCode != null && v.closeCode != 1000).count());
            return o;
        }
    }
}
