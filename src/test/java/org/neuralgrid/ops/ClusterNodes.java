package org.neuralgrid.ops;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** The command-line options and waits the cluster tests share: nodes on 127.0.0.1, ports free a moment before. */
final class ClusterNodes {
    /** What Hazelcast reads of the JDK's internals (as Main's relaunch passes them), and a heap fit for two JVMs. */
    static final List<String> JVM = List.of("-Xmx512m",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");
    private ClusterNodes() {
    }

    static String[] cluster(int port, String token, String... members) {
        List<String> args = new ArrayList<>(List.of("--cluster", "--cluster-host", "127.0.0.1",
                "--cluster-port", Integer.toString(port), "--cluster-token", token));
        if (members.length > 0) {
            args.addAll(List.of("--cluster-members", String.join(",", members)));
        }
        return args.toArray(String[]::new);
    }

    static String[] append(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** Distinct ports that were free on 127.0.0.1 a moment ago. */
    static int[] freePorts(int n) throws IOException {
        Set<Integer> ports = new HashSet<>();
        while (ports.size() < n) {
            ports.add(ServerProcess.freePort());
        }
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Polls GET /api/nodes until the list matches; fails with both nodes' output when it does not in time. */
    static JsonNode awaitNodes(ServerProcess dashboard, ServerProcess other, String what,
                                       Predicate<JsonNode> wanted, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        JsonNode nodes = null;
        while (System.nanoTime() < deadline) {
            nodes = dashboard.getJson("/api/nodes").path("nodes");
            if (wanted.test(nodes)) {
                return nodes;
            }
            Thread.sleep(200);
        }
        fail("/api/nodes never showed " + what + " within " + wait.toSeconds() + " s; last " + nodes + "\n"
                + dashboard.output() + (other == null ? "" : "\n" + other.output()));
        return nodes;
    }
}
