package org.neuralgrid.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neuralgrid.ops.ServerProcess.JSON;
import static org.neuralgrid.ops.ServerProcess.heapUsedAfterGc;
import static org.neuralgrid.ops.ServerProcess.startBody;
import static org.neuralgrid.ops.ServerProcess.tinyRun;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hundred runs posted at the same moment are all taken (201), wait their turn and start in the order they were
 * created, all complete, and leave nothing behind: the server's heap after a full collection is back within 10 %
 * of where it was before them (read with {@code jcmd}).
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ManyRunsTest {
    private static final int RUNS = 200;
    private static final int WARM_UP_RUNS = 3;

    @TempDir
    Path temp;

    @Test
    void twoHundredRunsPostedAtOnceStartInCreationOrderCompleteAndLeaveTheHeapAsItWas() throws Exception {
        List<String> jvm = List.of("-Xmx512m", "-XX:+UseG1GC", "-XX:+UnlockDiagnosticVMOptions");
        try (ServerProcess server = ServerProcess.serve(temp.resolve("data"), temp.resolve("logs"), jvm,
                "--max-concurrent", "1")) {
            // the first runs load the classes and fill the caches a server keeps for its life
            for (int i = 0; i < WARM_UP_RUNS; i++) {
                server.awaitStatus(server.createRun(tinyRun()), "completed", Duration.ofMinutes(2));
            }
            long heapBefore = heapUsedAfterGc(server.pid());

            long postStart = System.nanoTime();
            Set<String> ids = postAtOnce(server, RUNS);
            double postSeconds = (System.nanoTime() - postStart) / 1e9;
            long trainStart = System.nanoTime();
            List<JsonNode> runs = awaitAllCompleted(server, ids, Duration.ofMinutes(10));
            double trainSeconds = (System.nanoTime() - trainStart) / 1e9;

            // GET /api/runs lists newest first; ties of the created millisecond keep the order of creation
            List<JsonNode> byCreation = new ArrayList<>(runs);
            Collections.reverse(byCreation);
            for (int i = 1; i < byCreation.size(); i++) {
                JsonNode earlier = byCreation.get(i - 1);
                JsonNode later = byCreation.get(i);
                assertTrue(!created(later).isBefore(created(earlier)), "the list is newest first");
                assertTrue(!started(later).isBefore(started(earlier)), "run " + later.path("id").asText()
                        + " (created " + created(later) + ") started at " + started(later) + ", before run "
                        + earlier.path("id").asText() + " (created " + created(earlier) + ") started at "
                        + started(earlier));
            }

            Thread.sleep(1000); // the last run's ending events settle
            long heapAfter = heapUsedAfterGc(server.pid());
            System.out.printf(Locale.ROOT, "ManyRunsTest: %d POSTs in %.1f s, trained in %.1f s; heap after a full "
                            + "GC %.1f MiB before, %.1f MiB after%n", RUNS, postSeconds, trainSeconds,
                    heapBefore / 1048576.0, heapAfter / 1048576.0);
            assertTrue(heapAfter <= heapBefore * 1.10, String.format(Locale.ROOT, "the heap after a full GC grew "
                    + "from %.2f MiB before the %d runs to %.2f MiB after them (more than 10 %%)",
                    heapBefore / 1048576.0, RUNS, heapAfter / 1048576.0));
            assertTrue(server.healthy());
        }
    }

    /** POSTs n runs concurrently from a client of their own, closed afterwards; every answer must be 201. */
    private static Set<String> postAtOnce(ServerProcess server, int n) throws Exception {
        // HTTP/1.1: one connection per request, as many browsers would open; the JDK's default (h2c upgrade) would
        // put them all on one HTTP/2 connection, where the server's limit of concurrent streams refuses some
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
        try {
            HttpRequest post = server.request("/api/runs").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(startBody(tinyRun()))).build();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                answers.add(client.sendAsync(post, HttpResponse.BodyHandlers.ofString()));
            }
            CompletableFuture.allOf(answers.toArray(new CompletableFuture<?>[0])).get(5, TimeUnit.MINUTES);
            List<String> refused = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (CompletableFuture<HttpResponse<String>> a : answers) {
                HttpResponse<String> r = a.get();
                if (r.statusCode() == 201) {
                    ids.add(JSON.readTree(r.body()).path("id").asText());
                } else {
                    refused.add(r.statusCode() + " " + r.body());
                }
            }
            assertEquals(List.of(), refused, "every POST is answered 201");
            assertEquals(n, ids.size(), "distinct ids");
            return ids;
        } finally {
            // its connections would otherwise stay open (and in the server's heap) until the pool's idle timeout
            if (client instanceof AutoCloseable closeable) { // Java 21 and later
                closeable.close();
            }
        }
    }

    /** The runs with these ids, in the order GET /api/runs lists them, once every one of them has completed. */
    private static List<JsonNode> awaitAllCompleted(ServerProcess server, Set<String> ids, Duration wait)
            throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        List<JsonNode> ours = List.of();
        while (System.nanoTime() < deadline) {
            ours = server.runs().stream().filter(r -> ids.contains(r.path("id").asText()))
                    .collect(Collectors.toList());
            List<String> bad = ours.stream().map(r -> r.path("status").asText())
                    .filter(s -> s.equals("failed") || s.equals("cancelled") || s.equals("interrupted"))
                    .collect(Collectors.toList());
            assertEquals(List.of(), bad, "no run fails");
            if (ours.size() == ids.size() && ours.stream().allMatch(r -> "completed".equals(r.path("status").asText()))) {
                return ours;
            }
            Thread.sleep(500);
        }
        long done = ours.stream().filter(r -> "completed".equals(r.path("status").asText())).count();
        throw new AssertionError(done + " of " + ids.size() + " runs completed within " + wait.toMinutes() + " min");
    }

    private static Instant created(JsonNode run) {
        return Instant.parse(run.path("created").asText());
    }

    private static Instant started(JsonNode run) {
        return Instant.parse(run.path("started").asText());
    }
}
