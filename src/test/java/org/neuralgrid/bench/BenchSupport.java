package org.neuralgrid.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.neuralgrid.web.Dashboard;
import org.neuralgrid.web.ServerOptions;

/**
 * What the dashboard benchmarks share: command-line options, a real dashboard on a temporary data folder, its
 * JSON API through the JDK's HTTP client, and the statistics they print.
 *
 * <p>The benchmarks are plain {@code main} programs (never JUnit tests, so they never run in CI); each prints its
 * progress on stderr and ends with one JSON line of results on stdout.
 */
final class BenchSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled", "interrupted");

    private BenchSupport() {
    }

    // ------------------------------------------------------------------------------------------- options

    /** {@code --key value} and {@code --key=value} pairs; a flag without a value reads "true". */
    static final class Args {
        private final Map<String, String> values = new HashMap<>();

        Args(String[] args) {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument " + a + " (options are --key value)");
                }
                String key = a.substring(2);
                int eq = key.indexOf('=');
                if (eq >= 0) {
                    values.put(key.substring(0, eq), key.substring(eq + 1));
                } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    values.put(key, args[++i]);
                } else {
                    values.put(key, "true");
                }
            }
        }

        String string(String key, String fallback) {
            return values.getOrDefault(key, fallback);
        }

        int integer(String key, int fallback) {
            return values.containsKey(key) ? Integer.parseInt(values.get(key)) : fallback;
        }

        double number(String key, double fallback) {
            return values.containsKey(key) ? Double.parseDouble(values.get(key)) : fallback;
        }

        boolean flag(String key) {
            return Boolean.parseBoolean(values.getOrDefault(key, "false"));
        }
    }

    // ------------------------------------------------------------------------------------------- the server

    /** A real dashboard (training side and HTTP side) on 127.0.0.1, any free port, and a fresh data folder. */
    static final class Server implements AutoCloseable {
        final Vertx vertx;
        final Dashboard dashboard;
        final Path dataDir;
        final String base;
        private final boolean keep;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();

        private Server(Vertx vertx, Dashboard dashboard, Path dataDir, boolean keep) {
            this.vertx = vertx;
            this.dashboard = dashboard;
            this.dataDir = dataDir;
            this.base = "http://127.0.0.1:" + dashboard.port();
            this.keep = keep;
        }

        /** Starts on a new temporary data folder, removed by {@link #close} unless {@code keep}. */
        static Server start(String prefix, VertxOptions options, boolean keep) throws Exception {
            return start(prefix, options, keep, v -> {
            });
        }

        /** The same, with {@code prepare} run on the new Vert.x before the dashboard is deployed. */
        static Server start(String prefix, VertxOptions options, boolean keep, Consumer<Vertx> prepare)
                throws Exception {
            return start(prefix, options, keep, prepare, 1, null);
        }

        /**
         * The same with a ceiling on the runs at once ({@link ServerOptions#AUTO_CONCURRENT} for auto) and, unless
         * null, a Fashion-MNIST folder linked into the data folder.
         */
        static Server start(String prefix, VertxOptions options, boolean keep, Consumer<Vertx> prepare,
                            int maxConcurrent, Path fashionMnist) throws Exception {
            Path dataDir = Files.createTempDirectory(prefix);
            if (fashionMnist != null) {
                Files.createSymbolicLink(dataDir.resolve("fashion-mnist"), fashionMnist.toAbsolutePath());
            }
            Vertx vertx = options == null ? Vertx.vertx() : Vertx.vertx(options);
            prepare.accept(vertx);
            Dashboard dashboard = await(Dashboard.start(vertx,
                    new ServerOptions("127.0.0.1", 0, dataDir, null, maxConcurrent)), 60);
            log("dashboard on http://127.0.0.1:" + dashboard.port() + "/, data in " + dataDir);
            return new Server(vertx, dashboard, dataDir, keep);
        }

        int port() {
            return dashboard.port();
        }

        /** POST /api/runs; the new run's id. */
        String startRun(String name, ObjectNode config) throws IOException, InterruptedException {
            ObjectNode body = JSON.createObjectNode().put("name", name);
            body.set("config", config);
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
            if (r.statusCode() != 201) {
                throw new IllegalStateException("POST /api/runs answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body()).get("id").asText();
        }

        JsonNode get(String path) throws IOException, InterruptedException {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        }

        /** POST a JSON body; the answer's JSON (any 2xx). */
        JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        }

        JsonNode post(String path) throws IOException, InterruptedException {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + path))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        }

        String status(String id) throws IOException, InterruptedException {
            return get("/api/runs/" + id).path("status").asText();
        }

        /** Polls every {@code pollMs} until the run's status is one of {@code wanted}; that status. */
        String awaitStatus(String id, Collection<String> wanted, Duration timeout, long pollMs)
                throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            String status = null;
            while (System.nanoTime() < deadline) {
                status = status(id);
                if (wanted.contains(status)) {
                    return status;
                }
                if (TERMINAL.contains(status)) {
                    throw new IllegalStateException("run " + id + " ended " + status + " while waiting for "
                            + wanted + ": " + get("/api/runs/" + id));
                }
                Thread.sleep(pollMs);
            }
            throw new IllegalStateException("run " + id + " still " + status + " after " + timeout);
        }

        /** The run's epochs ({@code GET /api/runs/{id}/metrics}), in epoch order. */
        List<JsonNode> epochs(String id) throws IOException, InterruptedException {
            List<JsonNode> epochs = new ArrayList<>();
            get("/api/runs/" + id + "/metrics").path("epochs").forEach(epochs::add);
            epochs.sort(Comparator.comparingInt(e -> e.path("epoch").asInt()));
            return epochs;
        }

        private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }

        @Override
        public void close() throws Exception {
            try {
                await(dashboard.stop(), 60);
            } finally {
                await(vertx.close(), 60);
                if (!keep) {
                    deleteTree(dataDir);
                } else {
                    log("kept the data folder " + dataDir);
                }
            }
        }
    }

    /** A synthetic run on the Java backend; no checkpoint before the last epoch. */
    static ObjectNode syntheticRun(int height, int width, int samples, int testSamples, int batch, int epochs,
                                   int threads) {
        return JSON.createObjectNode()
                .put("dataset", "synthetic").put("samples", samples).put("testSamples", testSamples)
                .put("height", height).put("width", width).put("kernel", 3).put("activation", "sin")
                .put("batch", batch).put("epochs", epochs).put("lr", 1e-3).put("backend", "java")
                .put("threads", threads).put("checkpointEvery", 0).put("seed", 42);
    }

    /** "128x128": {height, width}. */
    static int[] grid(String spec) {
        String[] parts = spec.toLowerCase().split("x");
        if (parts.length != 2) {
            throw new IllegalArgumentException("a grid is HxW, got " + spec);
        }
        return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
    }

    /**
     * The event-loop context of the dashboard's HTTP verticle. The benchmarks live outside the web package, so
     * they reach it by reflection ({@code Dashboard.http()} and {@code VerticleBase.context}); null (with a
     * message) when that no longer works.
     */
    static Context httpContext(Dashboard dashboard) {
        try {
            Method http = Dashboard.class.getDeclaredMethod("http");
            http.setAccessible(true);
            Object verticle = http.invoke(dashboard);
            Field context = VerticleBase.class.getDeclaredField("context");
            context.setAccessible(true);
            return (Context) context.get(verticle);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log("cannot reach the HTTP verticle's context (" + e + "); its figures are left out");
            return null;
        }
    }

    /** The thread a context runs on (an event-loop context always runs on the same one). */
    static Thread threadOf(Context context) throws Exception {
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        context.runOnContext(v -> thread.complete(Thread.currentThread()));
        return thread.get(10, TimeUnit.SECONDS);
    }

    /** CPU time of a thread in ms (NaN when unknown). */
    static double cpuMillis(Thread thread) {
        if (thread == null) {
            return Double.NaN;
        }
        long ns = ManagementFactory.getThreadMXBean().getThreadCpuTime(thread.getId());
        return ns < 0 ? Double.NaN : ns / 1e6;
    }

    /** CPU time of the whole JVM in ms (NaN when unknown). */
    static double processCpuMillis() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long ns = os.getProcessCpuTime();
            return ns < 0 ? Double.NaN : ns / 1e6;
        }
        return Double.NaN;
    }

    /** Time the JVM's garbage collectors have spent so far, in ms (pauses and concurrent work together). */
    static double gcMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    static <T> T await(Future<T> future, long seconds) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------------------------------- statistics

    /** The value at quantile q (0..1) of sorted values, by linear interpolation. */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    static double median(Collection<Double> values) {
        return quantile(sorted(values), 0.5);
    }

    static double[] sorted(Collection<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v;
    }

    /** {n, median, min, max, mean} of the values (rounded to 4 significant decimals in the JSON). */
    static ObjectNode summary(Collection<Double> values) {
        double[] v = sorted(values);
        ObjectNode o = JSON.createObjectNode().put("n", v.length);
        if (v.length == 0) {
            return o;
        }
        o.put("median", round(quantile(v, 0.5)));
        o.put("min", round(v[0]));
        o.put("max", round(v[v.length - 1]));
        o.put("mean", round(Arrays.stream(v).average().orElse(Double.NaN)));
        return o;
    }

    /** {n, p50, p90, p99, p999, max, mean} of the values. */
    static ObjectNode percentiles(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        ObjectNode o = JSON.createObjectNode().put("n", v.length);
        if (v.length == 0) {
            return o;
        }
        o.put("p50", round(quantile(v, 0.5)));
        o.put("p90", round(quantile(v, 0.9)));
        o.put("p99", round(quantile(v, 0.99)));
        o.put("p999", round(quantile(v, 0.999)));
        o.put("max", round(v[v.length - 1]));
        o.put("mean", round(Arrays.stream(v).average().orElse(Double.NaN)));
        return o;
    }

    static ArrayNode array(Collection<Double> values) {
        ArrayNode a = JSON.createArrayNode();
        values.forEach(v -> a.add(round(v)));
        return a;
    }

    static double round(double v) {
        if (!Double.isFinite(v)) {
            return v;
        }
        return Math.round(v * 1e4) / 1e4;
    }

    // ------------------------------------------------------------------------------------------- the machine

    /** Cores, the load averages and the Java version: what the figures were taken under. */
    static ObjectNode machine() {
        ObjectNode o = JSON.createObjectNode()
                .put("cpus", Runtime.getRuntime().availableProcessors())
                .put("java", System.getProperty("java.runtime.version"));
        try {
            o.put("loadavg", Files.readString(Paths.get("/proc/loadavg")).trim());
        } catch (IOException | RuntimeException e) {
            o.put("loadavg", "unknown");
        }
        return o;
    }

    static void log(String message) {
        System.err.println("[bench] " + message);
        System.err.flush();
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log("could not delete " + dir + ": " + e);
        }
    }
}
