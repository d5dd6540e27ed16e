package org.neuralgrid.ops;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The text frames of a run's WebSocket ({@code /ws/runs/{id}}) as a browser would see them, kept in arrival order:
 * what the server had reported at any moment, such as the last finished epoch before a SIGTERM.
 */
final class RunWatch implements WebSocket.Listener, AutoCloseable {
    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger binaryFrames = new java.util.concurrent.atomic.AtomicInteger();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private RunWatch() {
    }

    static RunWatch open(ServerProcess server, String id) throws Exception {
        RunWatch watch = new RunWatch();
        watch.socket = server.http().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws/runs/" + id), watch)
                .get(30, TimeUnit.SECONDS);
        return watch;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                frames.add(ServerProcess.JSON.readTree(partial.toString()));
            } catch (JsonProcessingException e) {
                closed.completeExceptionally(e);
            }
            partial.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        if (last) {
            binaryFrames.incrementAndGet(); // heatmap frames: counted, not looked at
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.complete(null);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closed.complete(null); // the server went away: what arrived before stays
    }

    /** Waits for a frame (any so far, or a later one) that matches, and returns it. */
    JsonNode await(String what, Predicate<JsonNode> wanted, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode f : frames) {
                if (wanted.test(f)) {
                    return f;
                }
            }
            if (closed.isDone() || frames.stream().anyMatch(RunWatch::ended)) {
                break;
            }
            Thread.sleep(10);
        }
        fail("no WebSocket frame with " + what + " (socket " + (closed.isDone() ? "closed" : "open") + "); got "
                + frames.size() + " frames, the last: " + (frames.isEmpty() ? null : frames.get(frames.size() - 1)));
        return null;
    }

    /** A status frame of a run that trains no more. */
    private static boolean ended(JsonNode f) {
        return "status".equals(f.path("type").asText())
                && f.path("status").asText().matches("completed|failed|cancelled|interrupted");
    }

    /** How many binary (heatmap) frames arrived. */
    int binaryFrames() {
        return binaryFrames.get();
    }

    /** The epochs of the epoch frames, in arrival order. */
    List<Integer> epochFrames() {
        return frames.stream().filter(f -> "epoch".equals(f.path("type").asText()))
                .map(f -> f.path("epoch").asInt()).toList();
    }

    /** The last epoch the server had reported: the state frame's epochs and every epoch frame since. */
    int lastEpoch() {
        int last = 0;
        for (JsonNode f : frames) {
            if ("epoch".equals(f.path("type").asText())) {
                last = Math.max(last, f.path("epoch").asInt());
            } else if ("state".equals(f.path("type").asText())) {
                for (JsonNode e : f.path("epochs")) {
                    last = Math.max(last, e.path("epoch").asInt());
                }
            }
        }
        return last;
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.abort();
        }
    }
}
