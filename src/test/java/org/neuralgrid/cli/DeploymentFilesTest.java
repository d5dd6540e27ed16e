package org.neuralgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;
import picocli.CommandLine;

/**
 * The deployment files as they would run: compose.yaml's commands go through the real command line (so an option
 * renamed or dropped there fails here, not in someone's {@code docker compose up}), and the addresses, subnet,
 * ports, GPUs, tokens, volumes and stop time in compose.yaml and the Dockerfile agree with each other and with
 * what the nodes do. {@code -Dneuralgrid.deploymentDir=DIR} reads the two files from another folder (a copy to try
 * a change on).
 */
class DeploymentFilesTest {
    private static final Path DIR = Path.of(System.getProperty("neuralgrid.deploymentDir", "."));
    private static final String DASHBOARD = "dashboard";

    private static Map<String, Object> compose;
    private static Map<String, Map<String, Object>> services;
    private static List<String> dockerfile;

    @BeforeAll
    static void readTheFiles() throws IOException {
        compose = map(readCompose(Files.readString(DIR.resolve("compose.yaml"))), "compose.yaml");
        services = new LinkedHashMap<>();
        map(compose.get("services"), "services").forEach((name, s) -> services.put(name, map(s, name)));
        dockerfile = Files.readAllLines(DIR.resolve("Dockerfile"));
        assertTrue(services.containsKey(DASHBOARD), "a service named " + DASHBOARD + ": " + services.keySet());
        assertFalse(workers().isEmpty(), "at least one service besides the dashboard");
    }

    // ---- the commands

    @Test
    void everyServiceCommandParsesWithTheRealCommandLine() {
        for (String name : services.keySet()) {
            parse(name);
        }
    }

    @Test
    void theDashboardServesAsAClusterNodeAndEveryOtherServiceIsAClusteredWorker() {
        ServeCommand serve = assertInstanceOf(ServeCommand.class, parse(DASHBOARD), DASHBOARD);
        assertTrue(serve.cluster.enabled, DASHBOARD + " has --cluster");
        for (String w : workers()) {
            WorkerCommand worker = assertInstanceOf(WorkerCommand.class, parse(w), w + " runs worker");
            assertTrue(worker.cluster.enabled, w + " has --cluster");
        }
    }

    @Test
    void theDockerfilesDefaultCommandParsesAsServe() throws IOException {
        String cmd = instruction("CMD").orElseThrow(() -> new AssertionError("the Dockerfile has a CMD"));
        JsonNode array = new ObjectMapper().readTree(cmd);
        List<String> args = new ArrayList<>();
        array.forEach(a -> args.add(a.asText()));
        assertInstanceOf(ServeCommand.class, parse("the Dockerfile's CMD", args));
    }

    @Test
    void everyServiceRunsTheOneImageBuiltFromThisFolderWithTheDockerfilesEntrypoint() {
        Set<Object> images = new HashSet<>();
        for (var e : services.entrySet()) {
            assertEquals(".", e.getValue().get("build"), e.getKey() + ": build: .");
            assertNotNull(e.getValue().get("image"), e.getKey() + " names the image");
            images.add(e.getValue().get("image"));
            assertFalse(e.getValue().containsKey("entrypoint"), e.getKey() + " keeps the Dockerfile's ENTRYPOINT");
        }
        assertEquals(1, images.size(), "one image for every role: " + images);
    }

    // ---- addresses and ports

    @Test
    void everyClusterHostIsTheServicesFixedAddressInsideTheNetworksSubnet() {
        Set<String> taken = new HashSet<>();
        for (String name : services.keySet()) {
            Map<String, Object> networks = map(services.get(name).get("networks"), name + ".networks");
            assertEquals(1, networks.size(), name + " is on one network: " + networks.keySet());
            String network = networks.keySet().iterator().next();
            String address = text(map(networks.get(network), name + ".networks." + network).get("ipv4_address"),
                    name + "'s ipv4_address");
            assertEquals(address, cluster(name).host, name + ": --cluster-host is the service's ipv4_address");

            Map<String, Object> ipam = map(map(map(compose.get("networks"), "networks").get(network),
                    "networks." + network).get("ipam"), "networks." + network + ".ipam");
            Map<String, Object> config = map(list(ipam.get("config"), "ipam.config").get(0), "ipam.config[0]");
            String subnet = text(config.get("subnet"), "the subnet of " + network);
            long[] range = cidr(subnet);
            long ip = ipv4(address);
            assertTrue(ip > range[0] && ip < range[1], name + ": " + address + " is a host address of " + subnet);
            // Docker gives the network's gateway (the first address unless ipam says otherwise) to the host
            long gateway = config.get("gateway") == null ? range[0] + 1 : ipv4(text(config.get("gateway"), "gateway"));
            assertTrue(ip != gateway, name + ": " + address + " is the gateway of " + subnet);
            assertTrue(taken.add(address), name + ": " + address + " is another service's too");
        }
    }

    @Test
    void everyWorkerNamesTheDashboardsAddressAndClusterPortAsMember() {
        ClusterCli dashboard = cluster(DASHBOARD);
        String expected = dashboard.host + ":" + dashboard.port;
        for (String w : workers()) {
            String members = cluster(w).members;
            assertNotNull(members, w + " has --cluster-members");
            assertTrue(List.of(members.split(",")).stream().map(String::trim).anyMatch(expected::equals),
                    w + ": --cluster-members " + members + " names the dashboard at " + expected);
        }
    }

    @Test
    void everyServiceFixesItsClusterAndBusPorts() {
        for (String name : services.keySet()) {
            assertNotEquals(0, cluster(name).port, name + ": --cluster-port is fixed");
            assertNotEquals(0, cluster(name).busPort, name + ": --cluster-bus-port is fixed (the default is any)");
        }
    }

    @Test
    void theDockerfileExposesTheHttpPortAndEveryClusterPortTheServicesUse() {
        Set<Integer> exposed = new TreeSet<>();
        for (String line : dockerfile) {
            if (line.strip().toUpperCase().startsWith("EXPOSE ")) {
                for (String p : line.strip().substring(7).trim().split("\\s+")) {
                    exposed.add(Integer.parseInt(p.replace("/tcp", "")));
                }
            }
        }
        Set<Integer> used = new TreeSet<>();
        used.add(((ServeCommand) parse(DASHBOARD)).port);
        for (String name : services.keySet()) {
            used.add(cluster(name).port);
            used.add(cluster(name).busPort);
        }
        used.remove(0); // any free port: everyServiceFixesItsClusterAndBusPorts says so
        assertTrue(exposed.containsAll(used), "EXPOSE " + exposed + " lists every port used: " + used);
    }

    @Test
    void theDashboardIsPublishedOnTheHostsLoopbackOnlyByDefault() {
        ServeCommand serve = (ServeCommand) parse(DASHBOARD);
        assertEquals("0.0.0.0", serve.host, "serve listens on every interface of its container, or the published"
                + " port would reach nothing");
        List<Object> ports = list(services.get(DASHBOARD).get("ports"), DASHBOARD + ".ports");
        assertEquals(1, ports.size(), "one published port: " + ports);
        String published = withDefaults(text(ports.get(0), "the published port"));
        assertEquals("127.0.0.1:" + serve.port + ":" + serve.port, published,
                "host loopback, the port serve listens on");
        for (String w : workers()) {
            assertFalse(services.get(w).containsKey("ports"), w + " publishes nothing");
        }
    }

    // ---- GPUs, secrets, data, stopping, order

    @Test
    void everyWorkerReservesAnNvidiaGpuOfItsOwn() {
        Set<String> ids = new HashSet<>();
        for (String w : workers()) {
            Object devices = path(services.get(w), w, "deploy", "resources", "reservations", "devices");
            List<Object> nvidia = list(devices, w + "'s devices").stream()
                    .filter(d -> "nvidia".equals(map(d, w + "'s device").get("driver"))).toList();
            assertEquals(1, nvidia.size(), w + " reserves devices of the nvidia driver once: " + devices);
            Map<String, Object> gpu = map(nvidia.get(0), w + "'s nvidia device");
            assertTrue(list(gpu.get("capabilities"), w + "'s capabilities").contains("gpu"), w + ": capabilities [gpu]");
            if (gpu.containsKey("device_ids")) {
                List<Object> own = list(gpu.get("device_ids"), w + "'s device_ids");
                assertEquals(1, own.size(), w + ": one GPU");
                assertTrue(ids.add(withDefaults(text(own.get(0), "device id"))), w + "'s GPU is another worker's");
            } else {
                assertEquals("1", text(gpu.get("count"), w + "'s GPU count"), w + ": count 1 or device_ids");
            }
        }
    }

    @Test
    void theTokensComeFromTheOperatorsEnvironmentAndComposeRefusesToStartWithoutThem() {
        assertRequired(DASHBOARD, "NEURALGRID_TOKEN");
        for (String name : services.keySet()) {
            assertRequired(name, "NEURALGRID_CLUSTER_TOKEN");
            List<String> args = command(name);
            assertFalse(args.contains("--token") || args.contains("--cluster-token")
                    || args.stream().anyMatch(a -> a.startsWith("--token=") || a.startsWith("--cluster-token=")),
                    name + ": no secret on the command line (docker inspect and ps show it)");
        }
    }

    @Test
    void everyServiceKeepsItsDataFolderOnANamedVolumeOfItsOwn() {
        Map<String, Object> declared = map(compose.get("volumes"), "volumes");
        Set<String> sources = new HashSet<>();
        for (String name : services.keySet()) {
            Object command = parse(name);
            Path dataDir = command instanceof ServeCommand s ? s.dataDir : ((WorkerCommand) command).dataDir;
            String mount = list(services.get(name).get("volumes"), name + ".volumes").stream()
                    .map(v -> text(v, name + "'s volume"))
                    .filter(v -> v.split(":").length >= 2 && v.split(":")[1].equals(dataDir.toString()))
                    .findFirst().orElseThrow(() -> new AssertionError(name + " mounts a volume on --data-dir " + dataDir));
            String source = mount.split(":")[0];
            assertTrue(declared.containsKey(source), name + ": " + source + " is a named volume");
            assertTrue(sources.add(source), name + ": " + source + " is another service's too");
        }
    }

    @Test
    void theStopGracePeriodCoversSavingTheRunsAndLeavingTheCluster() {
        long needed = ServeCommand.STOP_SECONDS + ClusterStart.LEAVE_SECONDS;
        for (String name : services.keySet()) {
            long seconds = seconds(text(services.get(name).get("stop_grace_period"), name + "'s stop_grace_period"));
            assertTrue(seconds > needed, name + ": stop_grace_period " + seconds + " s, more than " + needed + " s");
        }
    }

    @Test
    void everyWorkerStartsAfterTheDashboard() {
        for (String w : workers()) {
            Object dependsOn = services.get(w).get("depends_on");
            boolean names = dependsOn instanceof List<?> l ? l.contains(DASHBOARD)
                    : map(dependsOn, w + ".depends_on").containsKey(DASHBOARD);
            assertTrue(names, w + " depends_on " + DASHBOARD);
        }
    }

    // ---- helpers

    private static List<String> workers() {
        return services.keySet().stream().filter(n -> !n.equals(DASHBOARD)).toList();
    }

    private static List<String> command(String service) {
        return list(services.get(service).get("command"), service + ".command (a list)").stream()
                .map(a -> text(a, service + "'s argument")).toList();
    }

    /** The service's command as the real command line makes it: its ServeCommand or WorkerCommand. */
    private static Object parse(String service) {
        return parse(service, command(service));
    }

    private static Object parse(String what, List<String> args) {
        String[] argv = Main.withDefaultCommand(args.stream().map(DeploymentFilesTest::withDefaults)
                .toArray(String[]::new));
        try {
            CommandLine.ParseResult result = Main.commandLine().parseArgs(argv);
            assertTrue(result.hasSubcommand(), what + ": a subcommand");
            return result.subcommand().commandSpec().userObject();
        } catch (CommandLine.ParameterException e) {
            return fail(what + ": neuralgrid " + String.join(" ", argv) + ": " + e.getMessage());
        }
    }

    private static ClusterCli cluster(String service) {
        Object command = parse(service);
        return command instanceof ServeCommand s ? s.cluster : ((WorkerCommand) command).cluster;
    }

    private static void assertRequired(String service, String variable) {
        Object environment = services.get(service).get("environment");
        String value;
        if (environment instanceof List<?> l) {
            value = l.stream().map(Object::toString).filter(v -> v.startsWith(variable + "=")).findFirst()
                    .map(v -> v.substring(variable.length() + 1)).orElse(null);
        } else {
            value = (String) map(environment, service + ".environment").get(variable);
        }
        assertNotNull(value, service + " sets " + variable);
        assertTrue(value.startsWith("${" + variable + ":?") && value.endsWith("}"),
                service + ": " + variable + " is ${" + variable + ":?message} (required, from the environment), not "
                        + value);
    }

    private static java.util.Optional<String> instruction(String name) {
        return dockerfile.stream().map(String::strip).filter(l -> l.toUpperCase().startsWith(name + " "))
                .reduce((first, last) -> last).map(l -> l.substring(name.length()).trim());
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:?-)([^}]*)}");

    /** Compose's interpolation with nothing set: {@code ${NAME:-default}} and {@code ${NAME-default}} → default. */
    static String withDefaults(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(3)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Compose's durations as this file uses them: {@code 40s}, {@code 1m}, {@code 1m30s}. */
    static long seconds(String duration) {
        Matcher m = Pattern.compile("(?:(\\d+)m)?(?:(\\d+)s)?").matcher(duration);
        assertTrue(m.matches() && !duration.isEmpty(), "a duration such as 40s or 1m30s: " + duration);
        return (m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 60)
                + (m.group(2) == null ? 0 : Long.parseLong(m.group(2)));
    }

    /** The network and broadcast addresses of {@code a.b.c.d/n}. */
    static long[] cidr(String subnet) {
        String[] parts = subnet.split("/");
        assertEquals(2, parts.length, "a subnet a.b.c.d/n: " + subnet);
        int bits = Integer.parseInt(parts[1]);
        assertTrue(bits >= 8 && bits <= 30, "a subnet with room for hosts: " + subnet);
        long size = 1L << (32 - bits);
        long base = ipv4(parts[0]);
        assertEquals(0, base % size, subnet + " starts at its network address");
        return new long[] {base, base + size - 1};
    }

    static long ipv4(String address) {
        String[] octets = address.split("\\.");
        assertEquals(4, octets.length, "an IPv4 address: " + address);
        long ip = 0;
        for (String o : octets) {
            int v = Integer.parseInt(o);
            assertTrue(v >= 0 && v <= 255, "an IPv4 address: " + address);
            ip = ip << 8 | v;
        }
        return ip;
    }

    private static Object path(Map<String, Object> from, String what, String... keys) {
        Object at = from;
        for (String k : keys) {
            at = map(at, what).get(k);
            what = what + "." + k;
        }
        assertNotNull(at, what);
        return at;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String what) {
        assertInstanceOf(Map.class, value, what + " is a mapping");
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value, String what) {
        assertInstanceOf(List.class, value, what + " is a list");
        return (List<Object>) value;
    }

    static String text(Object value, String what) {
        assertInstanceOf(String.class, value, what + " is a scalar");
        return (String) value;
    }

    /**
     * compose.yaml as nested maps, lists and strings: every scalar but an empty or null one stays a string (as
     * Compose's command, port and address values are text; the helpers above check that), no duplicate keys, safe
     * types only, and no anchors or aliases (keep the file plain, readable without them).
     */
    static Object readCompose(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(0);
        Resolver stringsAndNull = new Resolver() {
            @Override
            protected void addImplicitResolvers() {
                addImplicitResolver(Tag.NULL, NULL, "~nN\0");
                addImplicitResolver(Tag.NULL, EMPTY, null);
            }
        };
        DumperOptions dumper = new DumperOptions();
        Yaml reader = new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options, stringsAndNull);
        for (Event e : reader.parse(new StringReader(yaml))) {
            if (e instanceof AliasEvent || e instanceof NodeEvent n && n.getAnchor() != null) {
                throw new IllegalArgumentException("compose.yaml line " + (e.getStartMark().getLine() + 1)
                        + ": an anchor or alias (DeploymentFilesTest reads plain YAML only)");
            }
        }
        return reader.load(yaml);
    }
}
