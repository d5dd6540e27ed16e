package org.neuralgrid.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Joining the cluster, with real JVMs on loopback: a dashboard node ({@code serve --cluster}) and a worker node
 * ({@code worker --cluster}), each in a process of its own started from the built jar ({@code java -jar}, as
 * {@link ServerProcess} starts them in the *IT classes), bound to 127.0.0.1 only, on ports that were free a moment
 * before, with the TCP member list as the only discovery (no multicast) and phone-home off; every process is ended
 * by pid with its children.
 */
class ClusterJoinIT {
    private static final List<String> JVM = ClusterNodes.JVM;
    private static final String TOKEN = "cluster-test-" + UUID.randomUUID();
    private static final Duration JOIN = Duration.ofSeconds(30);
    private static final Duration LEAVE = Duration.ofSeconds(15);

    @Test
    void aWorkerJoinsTheDashboardWithItsDevicesAndDisappearsWhenKilled(@TempDir Path dir) throws Exception {
        int[] ports = ClusterNodes.freePorts(2);
        Path logs = dir.resolve("logs");
        try (ServerProcess dashboard = ServerProcess.serve(dir.resolve("dashboard"), logs, JVM,
                ClusterNodes.cluster(ports[0], TOKEN));
             ServerProcess worker = ServerProcess.worker(dir.resolve("worker"), logs, JVM,
                     ClusterNodes.cluster(ports[1], TOKEN, "127.0.0.1:" + ports[0]))) {
            long start = System.nanoTime();
            JsonNode nodes = ClusterNodes.awaitNodes(dashboard, worker, "both nodes", n -> n.size() == 2, JOIN);
            JsonNode self = nodes.get(0);
            JsonNode other = nodes.get(1);
            assertEquals("dashboard", self.path("role").asText(), nodes.toString());
            assertTrue(self.path("self").asBoolean(), nodes.toString());
            assertEquals("worker", other.path("role").asText(), nodes.toString());
            assertEquals("127.0.0.1", other.path("host").asText(), nodes.toString());
            assertFalse(other.path("self").asBoolean(), nodes.toString());
            assertNotEquals(self.path("node").asText(), other.path("node").asText());
            assertEquals("ok", other.path("health").asText(), nodes.toString());
            assertTrue(other.path("lastSeen").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), nodes.toString());
            List<String> devices = StreamSupport.stream(other.path("devices").spliterator(), false)
                    .map(d -> d.path("backend").asText()).toList();
            assertTrue(devices.contains("java"), "the worker's devices: " + other);
            assertTrue(other.path("devices").get(0).path("available").asBoolean(), other.toString());
            assertTrue(other.path("devices").get(0).path("cores").asInt() >= 1, other.toString());
            System.out.printf("the worker was listed %.1f s after it started%n", (System.nanoTime() - start) / 1e9);

            // every socket either node listens on is on 127.0.0.1
            assertOnlyLoopback(dashboard);
            assertOnlyLoopback(worker);

            worker.kill9();
            long killed = System.nanoTime();
            ClusterNodes.awaitNodes(dashboard, null, "the killed worker gone", n -> n.size() == 1
                    && n.get(0).path("self").asBoolean(), LEAVE);
            System.out.printf("the killed worker left /api/nodes %.1f s after SIGKILL%n",
                    (System.nanoTime() - killed) / 1e9);
            String all = dashboard.stdout() + dashboard.stderr();
            assertTrue(all.contains("left the cluster"), dashboard.output());
        }
    }

    @Test
    void aNodeWithAnotherTokenCannotJoinAndSaysSo(@TempDir Path dir) throws Exception {
        int[] ports = ClusterNodes.freePorts(2);
        Path logs = dir.resolve("logs");
        try (ServerProcess dashboard = ServerProcess.serve(dir.resolve("dashboard"), logs, JVM,
                ClusterNodes.cluster(ports[0], TOKEN));
             ServerProcess intruder = ServerProcess.worker(dir.resolve("worker"), logs, JVM,
                     ClusterNodes.append(ClusterNodes.cluster(ports[1], TOKEN + "-not", "127.0.0.1:" + ports[0]),
                             "--cluster-join-wait", "5"))) {
            String line = "could not join the cluster at 127.0.0.1:" + ports[0] + ": no member with this token answered";
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!(intruder.stdout() + intruder.stderr()).contains(line)) {
                assertAlone(dashboard);
                if (!intruder.process().isAlive()) {
                    fail("the worker with another token exited\n" + intruder.output());
                }
                if (System.nanoTime() > deadline) {
                    fail("the worker with another token never said '" + line + "'\n" + intruder.output());
                }
                Thread.sleep(250);
            }
            // and a while later, its heartbeats (every 2 s) have still reached nobody
            Thread.sleep(5_000);
            assertAlone(dashboard);
            assertTrue(intruder.process().isAlive(), "it keeps waiting for the cluster\n" + intruder.output());
        }
    }

    /**
     * A worker started first forms a cluster of its own (and says it found nobody); the dashboard that comes later
     * is found by Hazelcast's merge of the two, within seconds.
     */
    @Test
    void aWorkerStartedBeforeTheDashboardJoinsItWhenItComes(@TempDir Path dir) throws Exception {
        int[] ports = ClusterNodes.freePorts(2);
        Path logs = dir.resolve("logs");
        try (ServerProcess worker = ServerProcess.worker(dir.resolve("worker"), logs, JVM,
                ClusterNodes.append(ClusterNodes.cluster(ports[1], TOKEN, "127.0.0.1:" + ports[0]), "--cluster-join-wait", "3"))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!(worker.stdout() + worker.stderr()).contains("no member with this token answered")) {
                if (!worker.process().isAlive() || System.nanoTime() > deadline) {
                    fail("the worker did not say it found nobody\n" + worker.output());
                }
                Thread.sleep(250);
            }
            try (ServerProcess dashboard = ServerProcess.serve(dir.resolve("dashboard"), logs, JVM,
                    ClusterNodes.cluster(ports[0], TOKEN))) {
                ClusterNodes.awaitNodes(dashboard, worker, "the worker", n -> n.size() == 2
                        && n.get(1).path("role").asText().equals("worker"), JOIN);
            }
        }
    }

    /**
     * Without --cluster no cluster manager starts: no Hazelcast instance, nothing of the cluster package but the
     * node verticle, and nothing listening but the HTTP port. (Vert.x constructs every cluster manager its service
     * files name at every start, which loads a few Hazelcast interfaces from the class path; the jar leaves
     * vertx-hazelcast's service file out, so {@code java -jar} loads none.)
     */
    @Test
    void plainServeStartsNoClusterManagerAndListsItselfAlone(@TempDir Path dir) throws Exception {
        Path classes = dir.resolve("classes.log");
        try (ServerProcess server = ServerProcess.serve(dir.resolve("data"), dir.resolve("logs"),
                List.of("-Xlog:class+load=info:file=" + classes))) {
            JsonNode nodes = server.getJson("/api/nodes").path("nodes");
            assertEquals(1, nodes.size(), nodes.toString());
            assertEquals("dashboard", nodes.get(0).path("role").asText(), nodes.toString());
            assertTrue(nodes.get(0).path("self").asBoolean(), nodes.toString());
            assertEquals("127.0.0.1", nodes.get(0).path("host").asText(), nodes.toString());
            assertTrue(nodes.get(0).path("devices").size() >= 1, nodes.toString());
            assertEquals(List.of(server.port()), assertOnlyLoopback(server), "listening ports");
        }
        String loaded = Files.readString(classes);
        assertTrue(loaded.contains("org.neuralgrid.cluster.NodeVerticle "), "the class log is read");
        for (String started : new String[] {"com.hazelcast.instance.impl.HazelcastInstanceImpl ",
            "com.hazelcast.instance.impl.Node ", "org.neuralgrid.cluster.ClusterNode ",
            "org.neuralgrid.cluster.ClusterOptions ", "org.neuralgrid.cluster.WatchedClusterManager "}) {
            assertFalse(loaded.contains(started), "plain serve loaded " + started);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static void assertAlone(ServerProcess dashboard) throws Exception {
        JsonNode nodes = dashboard.getJson("/api/nodes").path("nodes");
        assertEquals(1, nodes.size(), "the dashboard lists a node with another token: " + nodes);
        assertTrue(nodes.get(0).path("self").asBoolean(), nodes.toString());
    }

    /**
     * Every TCP socket the process listens on is bound to 127.0.0.1 (returns their ports): its socket inodes from
     * /proc/PID/fd, matched with the LISTEN entries of /proc/net/tcp and tcp6 (Linux only; elsewhere nothing is
     * checked).
     */
    private static List<Integer> assertOnlyLoopback(ServerProcess node) throws IOException {
        Path fds = Path.of("/proc", Long.toString(node.pid()), "fd");
        if (!Files.isDirectory(fds)) {
            return List.of();
        }
        Set<String> inodes = new HashSet<>();
        try (var list = Files.list(fds)) {
            for (Path fd : (Iterable<Path>) list::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        List<String> listening = new ArrayList<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            Path t = Path.of(table);
            if (!Files.exists(t)) {
                continue;
            }
            List<String> lines = Files.readAllLines(t); // once: the table changes as sockets open and close
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
                    listening.add(f[1]);
                }
            }
        }
        assertFalse(listening.isEmpty(), "pid " + node.pid() + " listens on nothing?");
        for (String local : listening) {
            // 0100007F:port is 127.0.0.1 (little-endian hex), in tcp6 as the IPv4-mapped ::ffff:127.0.0.1;
            // anything else (0.0.0.0, ::, another address) is another interface
            assertTrue(local.startsWith("0100007F:") || local.startsWith("0000000000000000FFFF00000100007F:"),
                    "pid " + node.pid() + " listens on " + local
                    + " (not 127.0.0.1); all: " + listening);
        }
        return listening.stream().map(l -> Integer.parseInt(l.substring(l.indexOf(':') + 1), 16)).sorted().toList();
    }
}
