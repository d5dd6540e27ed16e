package org.neuralgrid.bench;

import static org.neuralgrid.bench.BenchSupport.JSON;
import static org.neuralgrid.bench.BenchSupport.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * How late the dashboard's event loop answers while a 128x128 run trains, against an idle server.
 *
 * <p>One real dashboard (one Vert.x, as {@code serve} makes it) on a fresh data folder; after a warm-up run,
 * each phase measures for {@code --seconds} (20):
 * <ul>
 * <li>{@code idle}: nothing trains;</li>
 * <li>{@code training}: a synthetic 128x128 run (batch 256, 15000 samples, all cores) trains, past its first
 *     epoch, so that the measurement sees steady training with an epoch event and a heatmap every epoch;</li>
 * <li>{@code training_viewers}: the same run with {@code --viewers} (1) WebSocket clients reading its stream,
 *     as a browser tab does (left out with {@code --viewers 0});</li>
 * <li>{@code idle_after}: idle again once the run is cancelled, a second baseline against the machine's drift.</li>
 * </ul>
 * In each phase:
 * <ul>
 * <li>{@code health}: a separate JVM (this class's {@link HealthProbe}, started by the benchmark with the same
 *     class path) sends {@code GET /health} every 10 ms on one keep-alive connection, one at a time, after a 3 s
 *     warm-up; {@code latencyMs} is send to response, {@code fromScheduleMs} counts from the moment the request
 *     was due (so that a stall also counts for the requests it delayed).</li>
 * <li>{@code timerHttpLoop}: a {@code vertx.setPeriodic(5 ms)} on the HTTP verticle's own event-loop context
 *     (reached by reflection), and {@code timerFreshContext}: the same on a fresh event-loop context of the same
 *     Vert.x; the lateness of each tick against the fixed-rate schedule, in ms.</li>
 * <li>{@code blockedEventLoop}: how often Vert.x's blocked-thread checker (checking every 25 ms) saw one of the
 *     server's event loops held for more than 50 ms, and the longest hold it saw.</li>
 * <li>the CPU time of the HTTP verticle's event-loop thread and of the whole JVM during the window, and the time
 *     the JVM spent in garbage collection.</li>
 * </ul>
 *
 * <p>Options: {@code --seconds 20 --probe-warmup-seconds 3 --interval-ms 10 --timer-ms 5 --viewers 1
 * --grid 128x128 --batch 256 --samples 15000 --test-samples 2000 --threads 0 --keep}.
 */
public final class EventLoopLatencyBench {
    private static final long BLOCKED_LIMIT_MS = 50;

    private EventLoopLatencyBench() {
    }

    public static void main(String[] argv) throws Exception {
        BenchSupport.Args args = new BenchSupport.Args(argv);
        int seconds = args.integer("seconds", 20);
        int probeWarmup = args.integer("probe-warmup-seconds", 3);
        int intervalMs = args.integer("interval-ms", 10);
        int timerMs = args.integer("timer-ms", 5);
        int viewers = args.integer("viewers", 1);
        int[] hw = BenchSupport.grid(args.string("grid", "128x128"));
        ObjectNode config = BenchSupport.syntheticRun(hw[0], hw[1], args.integer("samples", 15000),
                args.integer("test-samples", 2000), args.integer("batch", 256), 10_000, args.integer("threads", 0));

        ObjectNode result = JSON.createObjectNode().put("bench", "event-loop-latency");
        result.set("machineBefore", BenchSupport.machine());
        Blocked blocked = new Blocked();
        VertxOptions options = new VertxOptions()
                .setMaxEventLoopExecuteTime(BLOCKED_LIMIT_MS).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setBlockedThreadCheckInterval(BLOCKED_LIMIT_MS / 2)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                // worker threads (the training side) may run for as long as they like
                .setMaxWorkerExecuteTime(1).setMaxWorkerExecuteTimeUnit(TimeUnit.DAYS);
        Vertx clients = Vertx.vertx();
        try (BenchSupport.Server server = BenchSupport.Server.start("neuralgrid-bench-event-loop", options,
                args.flag("keep"),
                v -> ((VertxInternal) v).blockedThreadChecker().setThreadBlockedHandler(blocked::record))) {
            Context http = BenchSupport.httpContext(server.dashboard);
            Thread httpThread = http == null ? null : BenchSupport.threadOf(http);
            Context fresh = server.vertx.getOrCreateContext();
            result.put("httpLoopThread", httpThread == null ? "unknown" : httpThread.getName());
            result.put("freshContextThread", BenchSupport.threadOf(fresh).getName());

            log("warm-up run");
            String warm = server.startRun("event-loop warm-up", config.deepCopy().put("epochs", 2)
                    .put("samples", 2048).put("testSamples", 640));
            server.awaitStatus(warm, List.of("completed"), Duration.ofMinutes(5), 100);
            server.get("/api/runs/" + warm + "/metrics");

            Phase phase = new Phase(server, clients, http, httpThread, fresh, blocked, seconds, probeWarmup,
                    intervalMs, timerMs);
            ObjectNode phases = JSON.createObjectNode();
            phases.set("idle", phase.measure("idle", 0, null));

            String id = server.startRun("event-loop latency", config);
            log("waiting for the first epoch of run " + id);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (server.epochs(id).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("run " + id + " has no epoch after 10 minutes");
                }
                Thread.sleep(200);
            }
            try {
                phases.set("training", phase.measure("training", 0, id));
                if (viewers > 0) {
                    phases.set("training_viewers", phase.measure("training_viewers", viewers, id));
                }
            } finally {
                if (!BenchSupport.TERMINAL.contains(server.status(id))) {
                    server.post("/api/runs/" + id + "/cancel");
                    server.awaitStatus(id, BenchSupport.TERMINAL, Duration.ofMinutes(2), 100);
                }
            }
            // a second idle baseline: the machine's own load drifts while the benchmark runs
            phases.set("idle_after", phase.measure("idle_after", 0, null));
            result.set("phases", phases);
        } finally {
            BenchSupport.await(clients.close(), 30);
        }
        result.put("seconds", seconds).put("intervalMs", intervalMs).put("timerMs", timerMs)
                .put("viewers", viewers).put("blockedLimitMs", BLOCKED_LIMIT_MS);
        result.set("run", config);
        result.set("machineAfter", BenchSupport.machine());
        System.out.println(JSON.writeValueAsString(result));
    }

    /** One measurement window: the probe process, the two timers, the blocked-thread checker, CPU. */
    private static final class Phase {
        final BenchSupport.Server server;
        final Vertx clients;
        final Context http;
        final Thread httpThread;
        final Context fresh;
        final Blocked blocked;
        final int seconds;
        final int probeWarmup;
        final int intervalMs;
        final int timerMs;

        Phase(BenchSupport.Server server, Vertx clients, Context http, Thread httpThread, Context fresh,
              Blocked blocked, int seconds, int probeWarmup, int intervalMs, int timerMs) {
            this.server = server;
            this.clients = clients;
            this.http = http;
            this.httpThread = httpThread;
            this.fresh = fresh;
            this.blocked = blocked;
            this.seconds = seconds;
            this.probeWarmup = probeWarmup;
            this.intervalMs = intervalMs;
            this.timerMs = timerMs;
        }

        ObjectNode measure(String name, int viewers, String runId) throws Exception {
            log("phase " + name + ": " + seconds + " s");
            List<WebSocket> sockets = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicLong received = new AtomicLong();
            if (viewers > 0) {
                WebSocketClient ws = clients.createWebSocketClient(new WebSocketClientOptions()
                        .setMaxMessageSize(16 << 20).setMaxFrameSize(16 << 20));
                List<Future<WebSocket>> connecting = new ArrayList<>();
                for (int i = 0; i < viewers; i++) {
                    connecting.add(ws.connect(server.port(), "127.0.0.1", "/ws/runs/" + runId).onSuccess(s -> {
                        s.handler(b -> received.addAndGet(b.length()));
                        sockets.add(s);
                    }));
                }
                BenchSupport.await(Future.all(connecting), 60);
            }
            int epochsBefore = runId == null ? 0 : server.epochs(runId).size();

            Process probe = new ProcessBuilder(javaExecutable(), "-Xmx128m", "-XX:+UseSerialGC", "-cp",
                    System.getProperty("java.class.path"), HealthProbe.class.getName(), server.base + "/health",
                    String.valueOf(probeWarmup * 1000L), String.valueOf(seconds * 1000L), String.valueOf(intervalMs))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            JsonNode health;
            Ticker onHttp = http == null ? null : new Ticker(server.vertx, http, timerMs, seconds);
            Ticker onFresh = new Ticker(server.vertx, fresh, timerMs, seconds);
            double loopCpu0;
            double processCpu0;
            double gc0;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(probe.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line = out.readLine();
                if (!"READY".equals(line)) {
                    throw new IllegalStateException("the health probe said " + line);
                }
                // the probe's measured window starts now
                blocked.reset();
                loopCpu0 = BenchSupport.cpuMillis(httpThread);
                processCpu0 = BenchSupport.processCpuMillis();
                gc0 = BenchSupport.gcMillis();
                if (onHttp != null) {
                    onHttp.start();
                }
                onFresh.start();
                line = out.readLine();
                if (line == null) {
                    throw new IllegalStateException("the health probe ended without its results");
                }
                health = JSON.readTree(line);
            } finally {
                if (onHttp != null) {
                    onHttp.stop();
                }
                onFresh.stop();
                if (!probe.waitFor(30, TimeUnit.SECONDS)) {
                    probe.destroy();
                }
            }
            double loopCpu = BenchSupport.cpuMillis(httpThread) - loopCpu0;
            double processCpu = BenchSupport.processCpuMillis() - processCpu0;
            double gc = BenchSupport.gcMillis() - gc0;
            ObjectNode o = JSON.createObjectNode();
            o.set("health", health);
            if (onHttp != null) {
                o.set("timerHttpLoop", onHttp.summary());
            }
            o.set("timerFreshContext", onFresh.summary());
            o.set("blockedEventLoop", blocked.summary());
            o.put("httpLoopCpuMs", BenchSupport.round(loopCpu)).put("processCpuMs", BenchSupport.round(processCpu));
            o.put("gcMs", BenchSupport.round(gc));
            if (runId != null) {
                o.put("epochsDuringPhase", server.epochs(runId).size() - epochsBefore);
                o.put("runStatus", server.status(runId));
            }
            if (viewers > 0) {
                o.put("viewers", viewers).put("viewerMegabytes", BenchSupport.round(received.get() / 1e6));
                List<Future<Void>> closing = new ArrayList<>();
                sockets.forEach(s -> closing.add(s.close()));
                BenchSupport.await(Future.join(closing).transform(x -> Future.succeededFuture()), 30);
            }
            log("  " + name + ": " + o);
            return o;
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** A periodic timer on one context that notes how late each tick is against the fixed-rate schedule. */
    private static final class Ticker {
        final Vertx vertx;
        final Context context;
        final long periodNs;
        final long periodMs;
        final long[] lateness;
        int count;
        long anchor;
        long timer = -1;
        String thread;

        Ticker(Vertx vertx, Context context, long periodMs, int seconds) {
            this.vertx = vertx;
            this.context = context;
            this.periodMs = periodMs;
            this.periodNs = TimeUnit.MILLISECONDS.toNanos(periodMs);
            this.lateness = new long[(int) (seconds * 1000L / periodMs) * 2 + 1000];
        }

        void start() throws Exception {
            CompletableFuture<Void> started = new CompletableFuture<>();
            context.runOnContext(v -> {
                thread = Thread.currentThread().getName();
                anchor = System.nanoTime() + periodNs;
                // set on the context's own thread, the timer belongs to that context
                timer = vertx.setPeriodic(periodMs, id -> {
                    long now = System.nanoTime();
                    if (count < lateness.length) {
                        lateness[count] = now - (anchor + count * periodNs);
                    }
                    count++;
                });
                started.complete(null);
            });
            started.get(10, TimeUnit.SECONDS);
        }

        void stop() throws Exception {
            CompletableFuture<Void> stopped = new CompletableFuture<>();
            context.runOnContext(v -> {
                vertx.cancelTimer(timer);
                stopped.complete(null);
            });
            stopped.get(10, TimeUnit.SECONDS);
        }

        ObjectNode summary() {
            int n = Math.min(count, lateness.length);
            double[] ms = new double[n];
            for (int i = 0; i < n; i++) {
                ms[i] = lateness[i] / 1e6;
            }
            ObjectNode o = JSON.createObjectNode().put("thread", thread).put("periodMs", periodMs);
            o.set("latenessMs", BenchSupport.percentiles(ms));
            o.put("over10ms", Arrays.stream(ms).filter(x -> x > 10).count());
            o.put("over50ms", Arrays.stream(ms).filter(x -> x > 50).count());
            return o;
        }
    }

    /** What the blocked-thread checker reports about the server's event loops. */
    private static final class Blocked {
        private long count;
        private long maxNanos;

        synchronized void record(BlockedThreadEvent event) {
            if (event.thread().getName().contains("eventloop")) {
                // where the loop is now: the first frames of its stack
                StringBuilder where = new StringBuilder();
                StackTraceElement[] stack = event.thread().getStackTrace();
                for (int i = 0; i < Math.min(6, stack.length); i++) {
                    where.append(i == 0 ? "" : " < ").append(stack[i].getClassName()).append('.')
                            .append(stack[i].getMethodName());
                }
                log("blocked-thread checker: " + event.thread().getName() + " held for "
                        + Math.round(event.duration() / 1e6) + " ms, at " + where);
                count++;
                maxNanos = Math.max(maxNanos, event.duration());
            }
        }

        synchronized void reset() {
            count = 0;
            maxNanos = 0;
        }

        synchronized ObjectNode summary() {
            return JSON.createObjectNode().put("reports", count)
                    .put("longestMs", BenchSupport.round(maxNanos / 1e6));
        }
    }

    /**
     * The separate client: {@code GET url} every {@code intervalMs} on one keep-alive HTTP/1.1 connection, one
     * request at a time; prints {@code READY} after the warm-up and one JSON line with the figures at the end.
     * Args: url warmupMs durationMs intervalMs.
     */
    public static final class HealthProbe {
        private HealthProbe() {
        }

        public static void main(String[] args) throws Exception {
            URI url = URI.create(args[0]);
            long warmupMs = Long.parseLong(args[1]);
            long durationMs = Long.parseLong(args[2]);
            long intervalNs = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[3]));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).GET().build();
            run(client, request, TimeUnit.MILLISECONDS.toNanos(warmupMs), intervalNs, null);
            System.out.println("READY");
            System.out.flush();
            int capacity = (int) (TimeUnit.MILLISECONDS.toNanos(durationMs) / intervalNs) + 16;
            long[][] out = {new long[capacity], new long[capacity], new long[1], new long[1], new long[1]};
            int n = run(client, request, TimeUnit.MILLISECONDS.toNanos(durationMs), intervalNs, out);
            double[] latency = new double[n];
            double[] fromSchedule = new double[n];
            for (int i = 0; i < n; i++) {
                latency[i] = out[0][i] / 1e6;
                fromSchedule[i] = out[1][i] / 1e6;
            }
            ObjectNode o = JSON.createObjectNode().put("requests", n).put("errors", out[2][0])
                    .put("sentLate", out[3][0]).put("intervalMs", intervalNs / 1e6);
            o.set("latencyMs", BenchSupport.percentiles(latency));
            o.set("fromScheduleMs", BenchSupport.percentiles(fromSchedule));
            o.put("over10ms", Arrays.stream(latency).filter(x -> x > 10).count());
            o.put("over50ms", Arrays.stream(latency).filter(x -> x > 50).count());
            System.out.println(JSON.writeValueAsString(o));
        }

        /**
         * Requests due every intervalNs for durationNs; out (when not null): [latency], [from schedule],
         * [errors], [requests sent more than one interval after they were due]. The number of requests.
         */
        private static int run(HttpClient client, HttpRequest request, long durationNs, long intervalNs,
                               long[][] out) throws InterruptedException {
            long start = System.nanoTime();
            long due = start;
            int n = 0;
            while (due - start < durationNs) {
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(due - now);
                }
                long sent = System.nanoTime();
                boolean ok;
                try {
                    HttpResponse<Void> r = client.send(request, HttpResponse.BodyHandlers.discarding());
                    ok = r.statusCode() == 200;
                } catch (java.io.IOException e) {
                    ok = false;
                }
                long done = System.nanoTime();
                if (out != null && n < out[0].length) {
                    out[0][n] = done - sent;
                    out[1][n] = done - due;
                    if (!ok) {
                        out[2][0]++;
                    }
                    if (sent - due > intervalNs) {
                        out[3][0]++;
                    }
                    n++;
                }
                due += intervalNs;
            }
            return n;
        }
    }
}
