package org.neuralgrid.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.eventbus.EventBusOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a node joins the cluster. Validates itself, and builds the Hazelcast configuration and the Vert.x event-bus
 * options from it, so that a node talks to exactly the addresses given and to nothing else:
 * <ul>
 * <li>members are found through a TCP member list only: multicast, auto-detection and every cloud discovery are
 *     off, so a node never scans or broadcasts;</li>
 * <li>Hazelcast binds {@code host} only ({@code hazelcast.socket.bind.any=false}, interfaces = that address),
 *     opens its own connections from it, and announces it as its public address; the event bus binds and
 *     announces the same address;</li>
 * <li>Hazelcast's phone-home (a call to the internet at start and every day) and Jet are off;</li>
 * <li>the cluster name is derived from the token: nodes with another token form another cluster.</li>
 * </ul>
 * Hazelcast OSS has no member authentication: the name is only a filter, sent in clear in every join request.
 * Whoever can reach the port and knows (or sniffs) the derived name can join, and the traffic is not encrypted;
 * bind a private interface or a VPN (README.md, "Cluster").
 *
 * @param host    the IPv4 address of this machine to bind for the cluster (a literal, as Hazelcast's interface
 *                list takes it; never a wildcard)
 * @param port    Hazelcast's member port, 0..65535 (0: any free port, for a node nobody names in its member list);
 *                {@value #DEFAULT_PORT} by default; never incremented to another port when taken
 * @param busPort the event bus's port, 0..65535 (0, the default: any free port)
 * @param members the other members to contact, each {@code host:port} (a name or an IPv4 literal); may be empty
 *                for the first node
 * @param token   the shared secret, {@value #MIN_TOKEN_LENGTH} to {@value #MAX_TOKEN_LENGTH} printable ASCII
 *                characters without spaces, quotes, commas, semicolons or backslashes
 */
public record ClusterOptions(String host, int port, int busPort, List<String> members, String token) {
    public static final int DEFAULT_PORT = 5701;
    public static final int MIN_TOKEN_LENGTH = 12;
    public static final int MAX_TOKEN_LENGTH = 512;
    /** The environment variable read when no --cluster-token is given. */
    public static final String TOKEN_ENV = "NEURALGRID_CLUSTER_TOKEN";
    /** Names Vert.x's Hazelcast maps use (as in vertx-hazelcast's default-cluster.xml). */
    static final String SUBSCRIPTIONS = "__vertx.subs";
    static final String HA_INFO = "__vertx.haInfo";
    static final String NODE_INFO = "__vertx.nodeInfo";

    /**
     * Hazelcast properties: nothing calls out, nothing binds beyond {@code host}, and a member that dies is noticed
     * in seconds (the defaults wait a minute), a cluster split by a late start merges within seconds.
     */
    static final Map<String, String> PROPERTIES = Map.ofEntries(
            Map.entry("hazelcast.phone.home.enabled", "false"),
            Map.entry("hazelcast.socket.bind.any", "false"),
            // connections this member opens leave from the same address
            Map.entry("hazelcast.socket.client.bind", "true"),
            Map.entry("hazelcast.socket.client.bind.any", "false"),
            Map.entry("hazelcast.logging.type", "jdk"),
            Map.entry("hazelcast.health.monitoring.level", "OFF"),
            Map.entry("hazelcast.heartbeat.interval.seconds", "1"),
            Map.entry("hazelcast.max.no.heartbeat.seconds", "10"),
            Map.entry("hazelcast.wait.seconds.before.join", "1"),
            Map.entry("hazelcast.merge.first.run.delay.seconds", "5"),
            Map.entry("hazelcast.merge.next.run.delay.seconds", "5"));
    /** Read by Hazelcast as system properties too (the logging type when its first class loads). */
    static final List<String> SYSTEM_PROPERTIES = List.of("hazelcast.phone.home.enabled", "hazelcast.logging.type");

    private static final String IPV4 = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}";
    private static final String NAME = "[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?";

    public ClusterOptions {
        host = host == null ? null : host.trim();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("--cluster-host is required with --cluster: the IPv4 address of this"
                    + " machine that the other nodes reach (127.0.0.1 for nodes on one machine)");
        }
        if (!host.matches(IPV4)) {
            throw new IllegalArgumentException("--cluster-host must be an IPv4 address of this machine (a literal such"
                    + " as 10.0.0.5), got '" + host + "'");
        }
        if (host.equals("0.0.0.0") || host.equals("255.255.255.255")) {
            throw new IllegalArgumentException("--cluster-host must be one address of this machine, not " + host
                    + ": a node never binds every interface");
        }
        checkPort("--cluster-port", port);
        checkPort("--cluster-bus-port", busPort);
        Objects.requireNonNull(members, "members");
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (String m : members) {
            distinct.add(member(m));
        }
        members = List.copyOf(distinct);
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs a shared token: give --cluster-token or set "
                    + TOKEN_ENV + " (the same on every node)");
        }
        if (token.length() < MIN_TOKEN_LENGTH || token.length() > MAX_TOKEN_LENGTH || !printable(token)) {
            throw new IllegalArgumentException("the cluster token must be " + MIN_TOKEN_LENGTH + " to "
                    + MAX_TOKEN_LENGTH + " printable ASCII characters without spaces, quotes, commas, semicolons or"
                    + " backslashes");
        }
    }

    /** The token given on the command line, else the one in {@value #TOKEN_ENV}, else null. */
    public static String tokenFrom(String option, Map<String, String> environment) {
        if (option != null && !option.isEmpty()) {
            return option;
        }
        String env = environment.get(TOKEN_ENV);
        return env == null || env.isEmpty() ? null : env;
    }

    /** {@code host:port,host:port} as --cluster-members takes it (blank: none). */
    public static List<String> members(String text) {
        List<String> list = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return list;
        }
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                list.add(part.trim());
            }
        }
        return list;
    }

    /**
     * The Hazelcast cluster name: {@code neuralgrid-} and 32 hex digits of SHA-256 over the token. Nodes with the
     * same token find the same name; the name does not give the token away (the dashboard's HTTP token may be the
     * same), though whoever has the name can join.
     */
    public String clusterName() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("neuralgrid cluster\0" + token).getBytes(StandardCharsets.US_ASCII));
            return "neuralgrid-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The Hazelcast member configuration for the Vert.x cluster manager (see the class documentation). */
    public Config hazelcastConfig() {
        noCallsOut();
        Config config = new Config();
        config.setClusterName(clusterName());
        PROPERTIES.forEach(config::setProperty);
        config.getJetConfig().setEnabled(false);

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port);
        network.setPortAutoIncrement(false);
        network.setPublicAddress(host);
        network.getInterfaces().setEnabled(true).clear().addInterface(host);
        network.getRestApiConfig().setEnabled(false);
        network.getMemcacheProtocolConfig().setEnabled(false);

        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getAwsConfig().setEnabled(false);
        join.getGcpConfig().setEnabled(false);
        join.getAzureConfig().setEnabled(false);
        join.getKubernetesConfig().setEnabled(false);
        join.getEurekaConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(new ArrayList<>(members));

        // what Vert.x's default-cluster.xml configures, which a programmatic Config replaces
        config.addMultiMapConfig(new MultiMapConfig(SUBSCRIPTIONS).setBackupCount(1)
                .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
        config.addMapConfig(new MapConfig(HA_INFO).setBackupCount(1));
        config.addMapConfig(new MapConfig(NODE_INFO).setBackupCount(1));
        return config;
    }

    /** The event bus binds {@code host} (on {@code busPort}) and tells the other nodes that address. */
    public EventBusOptions eventBusOptions() {
        return new EventBusOptions().setHost(host).setPort(busPort).setClusterPublicHost(host);
    }

    /**
     * Sets the Hazelcast system properties that must hold before its first class loads (phone-home off, logging
     * through java.util.logging), unless the operator set them otherwise on the command line.
     */
    static void noCallsOut() {
        for (String p : SYSTEM_PROPERTIES) {
            if (p.equals("hazelcast.phone.home.enabled")) {
                System.setProperty(p, "false"); // never left to the command line: it would call out
            } else if (System.getProperty(p) == null) {
                System.setProperty(p, PROPERTIES.get(p));
            }
        }
    }

    /** The member list in words, for log lines. */
    public String membersText() {
        return members.isEmpty() ? "none (the first node)" : String.join(",", members);
    }

    @Override
    public String toString() {
        // never print the token
        return "ClusterOptions[host=" + host + ", port=" + port + ", busPort=" + busPort + ", members=" + members
                + ", token=set]";
    }

    private static void checkPort(String option, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(option + " must be between 0 and 65535, got " + port);
        }
    }

    private static String member(String text) {
        String m = text == null ? "" : text.trim();
        int colon = m.lastIndexOf(':');
        String h = colon < 0 ? m : m.substring(0, colon);
        String p = colon < 0 ? "" : m.substring(colon + 1);
        boolean portOk = p.matches("\\d{1,5}") && Integer.parseInt(p) >= 1 && Integer.parseInt(p) <= 65535;
        if (!portOk || !(h.matches(IPV4) || h.matches(NAME))) {
            throw new IllegalArgumentException("--cluster-members takes host:port,host:port (an IPv4 address or a"
                    + " name, and a port 1..65535), got '" + m + "'");
        }
        return h + ":" + Integer.parseInt(p);
    }

    private static boolean printable(String t) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
