package org.neuralgrid.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * A real {@code neuralgrid serve} in a JVM of its own, as a deployment runs it: started with {@link ProcessBuilder}
 * from the test JVM's own java and class path (or, in the *IT classes, from the built jar) on a port that was free a moment before (found by binding port 0
 * on 127.0.0.1), with stdout and stderr captured to files, and waited for until {@code GET /health} answers.
 * Offers the HTTP calls the tests make (to 127.0.0.1 only), SIGTERM ({@link #term()}), SIGKILL ({@link #kill9()})
 * and, on {@link #close()}, ends the process and every process it started, by pid.
 *
 * <pre>{@code
 * try (ServerProcess server = ServerProcess.serve(dataDir, logs)) {
 *     String id = server.createRun(ServerProcess.syntheticRun(4, 2));
 *     server.awaitStatus(id, "completed", Duration.ofMinutes(2));
 * }
 * }</pre>
 */
final class ServerProcess implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The system property naming the built jar (set for the *IT classes, which run after packaging): processes
     * start from it with {@code java -jar}; without it, from the test class path.
     */
    static final String BUILT_JAR = "neuralgrid.jar";
    /** How long a JVM may take to answer /health (a loaded two-core machine, an OpenCL device scan). */
    static final Duration STARTUP = Duration.ofSeconds(90);
    /** The JVM's own notice about the incubating Vector API: the only stderr line a healthy start writes. */
    static final String INCUBATOR_WARNING = "WARNING: Using incubator modules";

    private final Process process;
    private final int port;
    private final Path stdout;
    private final Path stderr;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** Every process the server started, as seen the last time {@link #descendants()} looked. */
    private final List<ProcessHandle> seenDescendants = new ArrayList<>();

    private ServerProcess(Process process, int port, Path stdout, Path stderr) {
        this.process = process;
        this.port = port;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    // ------------------------------------------------------------------------------------------------ starting

    /** {@code serve --port <free> --data-dir dataDir} with the Vector API module, waited for until healthy. */
    static ServerProcess serve(Path dataDir, Path logs, String... options) throws Exception {
        return serve(dataDir, logs, List.of(), options);
    }

    /** The same, with options for the server's JVM (-Xmx, -XX:...). */
    static ServerProcess serve(Path dataDir, Path logs, List<String> jvmOptions, String... options)
            throws Exception {
        ServerProcess server = launch(dataDir, logs, jvmOptions, true, options);
        try {
            server.awaitHealthy();
        } catch (Throwable e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * Starts {@code java [jvmOptions] ... Main serve --port <free> --data-dir dataDir [options]} without waiting.
     * With {@code direct}, the JVM gets the Vector API module and NEURALGRID_RELAUNCHED set (to no pid: no launcher to watch), so Main runs the server
     * itself; without, the JVM has neither and Main relaunches a child JVM that runs it.
     */
    static ServerProcess launch(Path dataDir, Path logs, List<String> jvmOptions, boolean direct, String... options)
            throws IOException {
        int port = freePort();
        List<String> args = new ArrayList<>(List.of("serve", "--port", Integer.toString(port), "--data-dir",
                dataDir.toString()));
        args.addAll(List.of(options));
        return start(port, "server-" + port, logs, jvmOptions, direct, args);
    }

    /**
     * {@code neuralgrid worker --data-dir dataDir [options]} (a cluster's training node: no HTTP, so nothing to
     * wait for and no {@link #port()}), started directly like {@link #serve}.
     */
    static ServerProcess worker(Path dataDir, Path logs, List<String> jvmOptions, String... options)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("worker", "--data-dir", dataDir.toString()));
        args.addAll(List.of(options));
        return start(-1, "worker", logs, jvmOptions, true, args);
    }

    private static ServerProcess start(int port, String name, Path logs, List<String> jvmOptions, boolean direct,
                                       List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (direct) {
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"));
        }
        cmd.addAll(jvmOptions);
        String jar = System.getProperty(BUILT_JAR);
        if (jar != null) {
            cmd.addAll(List.of("-jar", jar));
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.neuralgrid.cli.Main"));
        }
        cmd.addAll(args);
        Files.createDirectories(logs);
        String file = name + "-" + System.nanoTime();
        Path out = logs.resolve(file + ".out");
        Path err = logs.resolve(file + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        env.remove("NEURALGRID_TOKEN"); // a loopback server without a token: the API answers without one
        env.remove("NEURALGRID_CLUSTER_TOKEN"); // a cluster test gives its nodes their tokens itself
        if (direct) {
            env.put("NEURALGRID_RELAUNCHED", "direct"); // libjsig.so stays preloaded, as the launcher would have it
        } else {
            env.remove("NEURALGRID_RELAUNCHED");
            env.remove("LD_PRELOAD"); // the launcher preloads libjsig.so for the server JVM itself
        }
        return new ServerProcess(pb.start(), port, out, err);
    }

    /** A port that nobody listened on a moment ago on 127.0.0.1. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    /** Whether a server could bind 127.0.0.1:port now. */
    static boolean portIsFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true); // a closed server's connections in TIME_WAIT do not hold the port
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until GET /health answers 200; fails with the server's output when it exits or takes too long. */
    void awaitHealthy() throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("the server exited with " + process.exitValue() + " before answering /health\n" + output());
            }
            try {
                HttpResponse<String> r = http.send(request("/health").timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    descendants();
                    return;
                }
            } catch (ConnectException | java.net.http.HttpTimeoutException e) {
                // not listening yet
            } catch (IOException e) {
                // the connection closed during startup: try again
            }
            Thread.sleep(100);
        }
        fail("the server did not answer /health within " + STARTUP.toSeconds() + " s\n" + output());
    }

    // ------------------------------------------------------------------------------------------------ the process

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    /** SIGTERM, as {@code kill PID}, systemd and {@code docker stop} send it. */
    void term() {
        process.destroy();
    }

    /** SIGKILL: the process gets no chance to clean up. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "pid " + pid() + " survived SIGKILL");
    }

    /** The exit code, once the process has ended within {@code wait}; empty when it is still running. */
    Optional<Integer> awaitExit(Duration wait) throws InterruptedException {
        return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS) ? Optional.of(process.exitValue())
                : Optional.empty();
    }

    /** The processes the server started and that are alive now (also remembered for {@link #close()}). */
    List<ProcessHandle> descendants() {
        List<ProcessHandle> now = process.descendants().collect(Collectors.toList());
        for (ProcessHandle p : now) {
            if (seenDescendants.stream().noneMatch(s -> s.pid() == p.pid())) {
                seenDescendants.add(p);
            }
        }
        return now;
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    /** Both streams, for failure messages. */
    String output() {
        return "--- stdout of pid " + pid() + " ---\n" + stdout() + "--- stderr ---\n" + stderr() + "---";
    }

    /** No Java stack trace in either stream: what a user would read as a crash. */
    void assertNoStackTrace() {
        String all = stdout() + stderr();
        assertFalse(all.contains("\tat ") || all.contains("Exception in thread") || all.contains("Caused by:"),
                "a stack trace in the server's output:\n" + output());
    }

    /** Ends the server and every process it started (SIGKILL, by pid), and waits for them. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            descendants();
        }
        List<ProcessHandle> all = new ArrayList<>(seenDescendants);
        all.add(process.toHandle());
        for (ProcessHandle p : all) {
            p.destroyForcibly();
        }
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("pid " + p.pid() + " did not end after SIGKILL", e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ HTTP

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60));
    }

    HttpClient http() {
        return http;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
        return http.send(request(path).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET of a JSON answer that must be 200. */
    JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path);
        assertEquals(200, r.statusCode(), "GET " + path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    /** POST /api/runs; returns the new run's id. */
    String createRun(String config) throws IOException, InterruptedException {
        HttpResponse<String> r = post("/api/runs", startBody(config));
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    static String startBody(String config) {
        return "{\"config\":" + config + "}";
    }

    JsonNode run(String id) throws IOException, InterruptedException {
        return getJson("/api/runs/" + id);
    }

    /** The epoch numbers of GET /api/runs/{id}/metrics, in the order answered. */
    List<Integer> metricEpochs(String id) throws IOException, InterruptedException {
        JsonNode epochs = getJson("/api/runs/" + id + "/metrics").get("epochs");
        return StreamSupport.stream(epochs.spliterator(), false).map(e -> e.get("epoch").asInt())
                .collect(Collectors.toList());
    }

    /** GET /api/runs, newest first. */
    List<JsonNode> runs() throws IOException, InterruptedException {
        return StreamSupport.stream(getJson("/api/runs").get("runs").spliterator(), false)
                .collect(Collectors.toList());
    }

    boolean healthy() throws InterruptedException {
        try {
            return get("/health").statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Polls the run until it matches; a run that fails or is cancelled meanwhile fails the test at once. */
    JsonNode awaitRun(String id, String what, Predicate<JsonNode> wanted, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        JsonNode run = null;
        while (System.nanoTime() < deadline) {
            run = run(id);
            if (wanted.test(run)) {
                return run;
            }
            String status = run.path("status").asText();
            if (status.equals("failed") || status.equals("cancelled")) {
                fail("run " + id + " is " + status + " while waiting for " + what + ": " + run + "\n" + output());
            }
            if (!process.isAlive()) {
                fail("the server exited while waiting for " + what + "\n" + output());
            }
            Thread.sleep(20);
        }
        fail("run " + id + " never reached " + what + " within " + wait.toSeconds() + " s; last " + run);
        return run;
    }

    JsonNode awaitStatus(String id, String status, Duration wait) throws Exception {
        return awaitRun(id, status, r -> status.equals(r.path("status").asText()), wait);
    }

    // ------------------------------------------------------------------------------------------------ runs

    /**
     * A small synthetic 2D run on one Java thread: 2048 training and 256 test images, a 32x32 grid, batches of
     * 64 (32 steps an epoch), a checkpoint every {@code checkpointEvery} epochs.
     */
    static String syntheticRun(int epochs, int checkpointEvery) {
        return syntheticRun(epochs, checkpointEvery, 2048);
    }

    /** The same with {@code samples} training images ({@code samples / 64} steps an epoch). */
    static String syntheticRun(int epochs, int checkpointEvery, int samples) {
        return syntheticRun(epochs, checkpointEvery, samples, 32);
    }

    /** The same on a {@code side} x {@code side} grid. */
    static String syntheticRun(int epochs, int checkpointEvery, int samples, int side) {
        return "{\"dataset\":\"synthetic\",\"samples\":" + samples + ",\"testSamples\":256,\"height\":" + side
                + ",\"width\":" + side + ","
                + "\"batch\":64,\"epochs\":" + epochs + ",\"backend\":\"java\",\"threads\":1,\"lr\":0.003,"
                + "\"checkpointEvery\":" + checkpointEvery + "}";
    }

    /** A run of a moment: 256 + 64 synthetic images, an 8x4 grid, one epoch of four steps, no checkpoints. */
    static String tinyRun() {
        return "{\"dataset\":\"synthetic\",\"samples\":256,\"testSamples\":64,\"height\":8,\"width\":4,"
                + "\"batch\":64,\"epochs\":1,\"backend\":\"java\",\"threads\":1,\"lr\":0.003,\"checkpointEvery\":0}";
    }

    /** The {@code __metadata__} of a safetensors file (a checkpoint's epoch and adam_step). */
    static JsonNode safetensorsMetadata(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertTrue(headerLength > 0 && headerLength <= bytes.length - 8, file + ": header length " + headerLength);
        return JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8)).path("__metadata__");
    }

    /** The heap in use in a JVM of this machine after a full collection, in bytes, through jcmd. */
    static long heapUsedAfterGc(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
        assertTrue(m.find(), "no 'used NK' in jcmd GC.heap_info:\n" + info);
        return Long.parseLong(m.group(1)) * 1024;
    }

    static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        try {
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jcmd " + command + " did not end");
            assertEquals(0, p.exitValue(), "jcmd " + pid + " " + command + ":\n" + text);
            return text;
        } finally {
            p.destroyForcibly();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
