package org.neuralgrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real dashboard for each test: the real {@link org.neuralgrid.worker.RunVerticle} on a fresh data folder and
 * the real HTTP server on 127.0.0.1, port 0, reached with a {@link WebClient}.
 *
 * <p>Request/response tests read best as straight-line code, so they wait for each answer on the JUnit thread
 * ({@link Future#await}); the streaming tests use a {@code VertxTestContext} and its checkpoints instead.
 *
 * <p>The Vert.x instance is strict about its event loops: a handler that holds one for more than
 * {@value #MAX_EVENT_LOOP_MS} ms is logged, and a test fails when one was held in a blocking call or for more
 * than {@value #HARD_LIMIT_MS} ms (see {@link #threadBlocked}).
 */
abstract class DashboardTestBase {
    static final long MAX_EVENT_LOOP_MS = 200;
    static final long HARD_LIMIT_MS = 2000;
    static final long AWAIT_SECONDS = 30;
    private static final List<String> BLOCKING_CALLS = List.of("java.lang.Thread.sleep", "java.lang.Object.wait",
            "java.util.concurrent.locks.LockSupport.park", "java.io.FileInputStream", "java.io.FileOutputStream",
            "java.io.RandomAccessFile", "sun.nio.ch.FileChannelImpl", "java.nio.file.Files.", "java.sql.",
            "org.sqlite.", "org.neuralgrid.engine.", "org.neuralgrid.store.");

    @TempDir
    Path dataDir;

    Vertx vertx;
    WebClient client;
    Dashboard dashboard;
    private final List<Dashboard> started = new ArrayList<>();
    /**
     * Every WebSocket client a test made, held until it ends: Vert.x closes a client that is no longer referenced
     * (a Cleaner, at the next GC), and with it a handshake in progress or an open socket ("Connection closed while
     * handshake in process"; the server then sees "Connection was closed" and "Result is already complete").
     */
    private final List<WebSocketClient> webSocketClients = new ArrayList<>();
    private final List<String> blocked = Collections.synchronizedList(new ArrayList<>());

    /** A WebSocket client held until the test ends (see {@link #webSocketClients}). */
    WebSocketClient webSockets(WebSocketClientOptions options) {
        WebSocketClient c = vertx.createWebSocketClient(options);
        webSocketClients.add(c);
        return c;
    }

    WebSocketClient webSockets() {
        return webSockets(new WebSocketClientOptions().setMaxMessageSize(16 << 20));
    }

    /** A run of a few tenths of a second on the CPU. */
    static JsonObject tiny() {
        return new JsonObject().put("dataset", "synthetic").put("samples", 512).put("testSamples", 128)
                .put("height", 16).put("width", 8).put("batch", 64).put("epochs", 3).put("backend", "java")
                .put("lr", 0.003).put("threads", 1);
    }

    /** A run that trains for minutes unless cancelled. */
    static JsonObject endless() {
        return tiny().put("samples", 2048).put("height", 32).put("width", 32).put("epochs", 10_000);
    }

    private static boolean warmedUp;

    /**
     * The first server of a JVM loads some thousand classes on its event loop, which takes longer than the
     * strict limit on a cold machine; one warm-up round with a lenient Vert.x keeps that out of the checks, so
     * that a blocked thread in a test means a handler that blocks.
     */
    private static synchronized void warmUp() throws IOException {
        if (warmedUp) {
            return;
        }
        warmedUp = true;
        long t0 = System.nanoTime();
        Path dir = Files.createTempDirectory("neuralgrid-warm-up");
        Vertx lenient = Vertx.vertx();
        try {
            Dashboard d = await(Dashboard.start(lenient, new ServerOptions("127.0.0.1", 0, dir, null, 1)));
            WebClient c = WebClient.create(lenient, new WebClientOptions().setDefaultHost("127.0.0.1")
                    .setDefaultPort(d.port()));
            for (String path : List.of("/health", "/api/runs", "/api/devices", "/", "/runs/0123456789ab",
                    "/webjars/chart.js/4.5.1/dist/chart.umd.js", "/static/common.js")) {
                await(c.get(path).send());
            }
            await(c.post("/api/runs").sendJsonObject(new JsonObject().put("height", 0)));
            String id = await(c.post("/api/runs").sendJsonObject(tiny())).bodyAsJsonObject().getString("id");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
            while (!"completed".equals(await(c.get("/api/runs/" + id).send()).bodyAsJsonObject().getString("status"))
                    && System.nanoTime() < deadline) {
                sleep(50);
            }
            for (String path : List.of("/runs/" + id, "/compare?ids=" + id, "/api/runs/" + id + "/metrics?format=csv",
                    "/api/runs/" + id + "/weights", "/api/runs/" + id + "/heatmaps/1")) {
                await(c.get(path).send());
            }
            // a warm-up, not a check: a socket the loaded machine drops here is the streaming tests' business
            WebSocketClient sockets = lenient.createWebSocketClient(); // held: an unreferenced one is closed
            await(sockets.connect(d.port(), "127.0.0.1", "/ws/runs/" + id)
                    .compose(WebSocket::close).transform(ar -> Future.succeededFuture()));
            await(sockets.connect(d.port(), "127.0.0.1", "/ws/runs/0123456789ab")
                    .transform(ar -> Future.succeededFuture()));
            await(sockets.close());
            await(d.stop());
            System.err.println("warm-up took " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
        } finally {
            await(lenient.close());
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @BeforeEach
    void startVertx() throws IOException {
        warmUp();
        vertx = newVertx(new VertxOptions()
                .setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_MS)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setBlockedThreadCheckInterval(50)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
        ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(this::threadBlocked);
    }

    /** The Vert.x instance of a test, with the strict options. */
    Vertx newVertx(VertxOptions strict) {
        return Vertx.vertx(strict);
    }

    /** Where the dashboards of a test keep their meters. */
    MeterRegistry registry() {
        return new SimpleMeterRegistry();
    }

    /**
     * Every event loop held past {@value #MAX_EVENT_LOOP_MS} ms is logged with its stack. It fails the test
     * when the stack shows a blocking call (sleeping, waiting, file or database IO) or when the loop was held
     * for {@value #HARD_LIMIT_MS} ms; shorter holds in plain computation are what a busy build machine does to
     * any thread (the CPU was elsewhere), and class loading is the JVM's own business.
     */
    private void threadBlocked(BlockedThreadEvent event) {
        StackTraceElement[] stack = event.thread().getStackTrace();
        StringBuilder where = new StringBuilder();
        for (StackTraceElement e : stack) {
            where.append("\n\tat ").append(e);
        }
        boolean blockingCall = blockingCall(stack);
        boolean tooLong = event.duration() >= TimeUnit.MILLISECONDS.toNanos(HARD_LIMIT_MS);
        System.err.println("Thread blocked" + (blockingCall ? " in a blocking call" : "") + ": " + event + where);
        if (blockingCall || tooLong) {
            blocked.add(event + where.toString());
        }
    }

    private static boolean blockingCall(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            String frame = e.getClassName() + "." + e.getMethodName();
            if (frame.startsWith("java.lang.ClassLoader.") || frame.startsWith("jdk.internal.loader.")) {
                return false;
            }
            for (String blocking : BLOCKING_CALLS) {
                if (frame.startsWith(blocking)) {
                    return true;
                }
            }
        }
        return false;
    }

    @AfterEach
    void stopAll() {
        webSocketClients.forEach(c -> await(c.close()));
        for (Dashboard d : started) {
            await(d.stop());
        }
        await(vertx.close());
        assertTrue(blocked.isEmpty(), () -> blocked.size() + " event loop hold(s) in a blocking call or longer than "
                + HARD_LIMIT_MS + " ms; the first: " + blocked.get(0));
    }

    ServerOptions loopback() {
        return new ServerOptions("127.0.0.1", 0, dataDir, null, 1);
    }

    /** Starts a dashboard and points {@link #client} at it. */
    Dashboard start(ServerOptions options) {
        dashboard = await(Dashboard.start(vertx, options, registry()));
        started.add(dashboard);
        client = WebClient.create(vertx, new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(dashboard.port())
                .setUserAgentEnabled(false));
        return dashboard;
    }

    Dashboard start() {
        return start(loopback());
    }

    /** Stops the current dashboard (the next {@link #start} makes a new one). */
    void stop() {
        started.remove(dashboard);
        await(dashboard.stop());
        client.close();
    }

    HttpResponse<Buffer> get(String path) {
        return await(client.get(path).send());
    }

    HttpResponse<Buffer> post(String path, JsonObject body) {
        return await(client.post(path).sendJsonObject(body));
    }

    HttpResponse<Buffer> post(String path) {
        return await(client.post(path).send());
    }

    /** POST /api/runs {"config": ...}; the new run's id. */
    String createRun(JsonObject config) {
        HttpResponse<Buffer> r = post("/api/runs", new JsonObject().put("config", config));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getString("id");
    }

    /** Polls GET /api/runs/:id until the run has one of the statuses; its summary. */
    JsonObject awaitStatus(String id, String... statuses) {
        Set<String> wanted = Set.of(statuses);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
        JsonObject run = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<Buffer> r = get("/api/runs/" + id);
            assertEquals(200, r.statusCode(), r.bodyAsString());
            run = r.bodyAsJsonObject();
            if (wanted.contains(run.getString("status"))) {
                return run;
            }
            sleep(50);
        }
        return fail("run " + id + " did not reach " + wanted + " in " + AWAIT_SECONDS + " s; last: " + run);
    }

    static void assertJson(HttpResponse<Buffer> r) {
        String type = r.getHeader("Content-Type");
        assertTrue(type != null && type.startsWith("application/json"), "Content-Type " + type);
    }

    static <T> T await(Future<T> f) {
        try {
            return f.await(AWAIT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return fail("no answer in " + AWAIT_SECONDS + " s");
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
