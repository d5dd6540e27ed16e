package org.neuralgrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuralgrid.cli.Main;

/**
 * The shape of the main code, read from its compiled classes with the JDK's own jdeps: no cycle between classes
 * (a nested class counts as its outer class), and each layer reaches only what DESIGN.md lets it reach.
 */
class ArchitectureTest {
    private static final Pattern EDGE = Pattern.compile("^\\s+(org\\.neuralgrid\\.\\S+)\\s+->\\s+(\\S+)");
    /** Top-level class → the top-level classes and outside packages it refers to. */
    private static final Map<String, Set<String>> DEPENDS = new TreeMap<>();

    @BeforeAll
    static void readTheClasses() throws URISyntaxException {
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int code = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:class", "-filter:none",
                "--multi-release", String.valueOf(Runtime.version().feature()),
                "--add-modules", "jdk.incubator.vector", "--ignore-missing-deps", classes.toString());
        assertEquals(0, code, out.toString());
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.find()) {
                String from = outer(m.group(1));
                String to = outer(m.group(2));
                if (!from.equals(to)) {
                    DEPENDS.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                }
            }
        }
        assertTrue(DEPENDS.size() > 50, "jdeps listed only " + DEPENDS.size() + " classes:\n" + out);
    }

    @Test
    void noTwoMainClassesDependOnEachOtherEvenThroughOthers() {
        List<List<String>> cycles = stronglyConnected().stream().filter(c -> c.size() > 1).toList();
        assertEquals(List.of(), cycles, "class cycles");
    }

    @Test
    void theEngineKnowsNothingOfVertxTheStoreOrTheWebSide() {
        assertNoneReach("org.neuralgrid.engine", "io.vertx", "org.neuralgrid.web", "org.neuralgrid.worker",
                "org.neuralgrid.store", "org.neuralgrid.bus", "org.neuralgrid.cli", "org.neuralgrid.cluster");
        assertNoneReach("org.neuralgrid.model", "io.vertx", "org.neuralgrid.engine");
    }

    @Test
    void onlyTheCatalogNamesAConcreteBackend() {
        for (var e : DEPENDS.entrySet()) {
            boolean insideABackend = e.getKey().startsWith("org.neuralgrid.engine.cpu.")
                    || e.getKey().startsWith("org.neuralgrid.engine.opencl.");
            if (insideABackend || e.getKey().startsWith("org.neuralgrid.engine.catalog.")) {
                continue;
            }
            for (String to : e.getValue()) {
                assertFalse(to.startsWith("org.neuralgrid.engine.cpu.") || to.startsWith("org.neuralgrid.engine.opencl."),
                        e.getKey() + " names the backend class " + to + ": open backends through the catalog");
            }
        }
    }

    @Test
    void theWebSideReachesTrainingOnlyOverTheEventBus() {
        // the Dashboard deploys the worker verticle: that one class may name it
        for (var e : DEPENDS.entrySet()) {
            if (!e.getKey().startsWith("org.neuralgrid.web.") || e.getKey().equals("org.neuralgrid.web.Dashboard")) {
                continue;
            }
            for (String to : e.getValue()) {
                assertFalse(to.startsWith("org.neuralgrid.engine") || to.startsWith("org.neuralgrid.worker")
                        || to.startsWith("org.neuralgrid.store"), e.getKey() + " reaches " + to);
            }
        }
    }

    @Test
    void theWebSideKnowsTheClusterOnlyThroughTheEventBus() {
        // nodes are a question over the bus (NodeBus), like runs; no cluster manager behind the HTTP side
        assertNoneReach("org.neuralgrid.web", "org.neuralgrid.cluster", "com.hazelcast", "io.vertx.spi.cluster",
                "io.vertx.core.spi.cluster");
        assertNoneReach("org.neuralgrid.worker", "org.neuralgrid.cluster", "com.hazelcast", "io.vertx.spi.cluster");
        assertNoneReach("org.neuralgrid.store", "org.neuralgrid.cluster", "com.hazelcast");
        assertNoneReach("org.neuralgrid.bus", "org.neuralgrid.cluster", "com.hazelcast");
    }

    @Test
    void onlyTheClusterPackageNamesHazelcast() {
        for (var e : DEPENDS.entrySet()) {
            if (e.getKey().startsWith("org.neuralgrid.cluster.")) {
                continue;
            }
            for (String to : e.getValue()) {
                assertFalse(to.startsWith("com.hazelcast.") || to.startsWith("io.vertx.spi.cluster.hazelcast."),
                        e.getKey() + " names " + to + ": Hazelcast stays inside org.neuralgrid.cluster");
            }
        }
        // and the cluster package talks to the training and web sides only over the bus
        assertNoneReach("org.neuralgrid.cluster", "org.neuralgrid.web", "org.neuralgrid.worker",
                "org.neuralgrid.store", "org.neuralgrid.cli");
        assertTrue(DEPENDS.getOrDefault("org.neuralgrid.cluster.ClusterOptions", java.util.Set.of()).stream()
                .anyMatch(to -> to.startsWith("com.hazelcast.")), "jdeps sees the cluster package's Hazelcast");
    }

    private static void assertNoneReach(String fromPackage, String... forbidden) {
        for (var e : DEPENDS.entrySet()) {
            if (!e.getKey().startsWith(fromPackage + ".")) {
                continue;
            }
            for (String to : e.getValue()) {
                for (String f : forbidden) {
                    assertFalse(to.startsWith(f + "."), e.getKey() + " reaches " + to);
                }
            }
        }
    }

    private static String outer(String className) {
        int dollar = className.indexOf('$');
        return dollar < 0 ? className : className.substring(0, dollar);
    }

    /** Tarjan's strongly connected components of the main classes' graph. */
    private static List<List<String>> stronglyConnected() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> components = new ArrayList<>();
        for (String v : DEPENDS.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, index, low, stack, onStack, components);
            }
        }
        return components;
    }

    private static void connect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                                Set<String> onStack, List<List<String>> components) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : DEPENDS.getOrDefault(v, Set.of())) {
            if (!w.startsWith("org.neuralgrid.")) {
                continue;
            }
            if (!index.containsKey(w)) {
                connect(w, index, low, stack, onStack, components);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            components.add(component);
        }
    }
}
