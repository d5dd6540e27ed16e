package org.neuralgrid.bus;

/**
 * The event-bus protocol between the nodes of a cluster (a dashboard node and its worker nodes, see
 * {@code org.neuralgrid.cluster}): every address and message shape, in one place, beside {@link RunBus}. Bodies
 * are Vert.x JsonObjects. Without {@code --cluster} the same addresses work inside the one JVM, where the dashboard
 * is the only node.
 *
 * <h2>Events (publish)</h2>
 * <ul>
 * <li>{@link #HEARTBEAT} an announcement (below), by every node every {@link #HEARTBEAT_MILLIS} ms, at its start
 *     and whenever it hears {@link #PING}</li>
 * <li>{@link #PING} {@code {}}: every node publishes its announcement at once (a dashboard node that starts asks
 *     so, rather than wait a heartbeat to learn the nodes)</li>
 * </ul>
 *
 * <h2>Requests (request/reply)</h2>
 * Failures reply with {@code ReplyException} codes as in {@link RunBus}.
 * <ul>
 * <li>{@link #LIST} {@code {}} → {@code {"nodes": [announcement plus "lastSeen" (ISO-8601: when its last
 *     announcement arrived), "health" ("ok", or "silent" when no announcement came for
 *     {@link #SILENT_MILLIS} ms), "self" (true for the node that answers)]}}, the dashboard nodes first; answered by
 *     the dashboard node. A node leaves the list when it leaves the cluster's membership (a process killed: within
 *     the cluster manager's failure detection, seconds), not when a heartbeat is late.</li>
 * <li>{@link #node(String)} {@code {}} → that node's announcement (each node answers its own address)</li>
 * </ul>
 *
 * <h2>Shapes</h2>
 * announcement: {@code {"node" (the node id: the cluster manager's, or a random one without a cluster), "role"
 * ("dashboard" | "worker"), "host" (the address it binds for the cluster; the HTTP address without one),
 * "started" (ISO-8601), "devices": [{"backend", "name", "available", "note", "gpu", "memoryBytes", "cores"}]}}
 * (the devices as {@link RunBus#DEVICES} lists them, with what each holds at once).
 */
public final class NodeBus {
    private static final String PREFIX = "neuralgrid.";

    public static final String HEARTBEAT = PREFIX + "nodes.heartbeat";
    public static final String PING = PREFIX + "nodes.ping";
    public static final String LIST = PREFIX + "nodes.list";

    /** How often a node announces itself. */
    public static final long HEARTBEAT_MILLIS = 2_000;
    /** A node not heard from for this long is listed as silent (still a member, but its verticle is not talking). */
    public static final long SILENT_MILLIS = 3 * HEARTBEAT_MILLIS + 1_000;

    public static final String DASHBOARD = "dashboard";
    public static final String WORKER = "worker";

    private NodeBus() {
    }

    /** The address one node answers on; the id is a node id of an announcement. */
    public static String node(String nodeId) {
        return PREFIX + "node." + nodeId;
    }
}
