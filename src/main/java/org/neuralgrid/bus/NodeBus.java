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
 * <li>{@link #LEFT} {@code {"node"}}: a member left the cluster (published by each node that noticed, to itself
 *     and the others; the dashboard node turns the runs it had handed there interrupted)</li>
 * </ul>
 *
 * <h2>Training on worker nodes</h2>
 * The dashboard node keeps the queue and the store and hands each run to a worker node; the worker trains it and
 * reports everything back, in order, until the dashboard has acknowledged it. Each hand-out is an attempt with an
 * id of its own: reports of any other attempt are refused (409), and the worker then stops that run, so that a
 * node thought gone never trains into a run handed elsewhere.
 * <ul>
 * <li>{@link #train(String)} (request, to a worker) {@code {"run", "name", "attempt", "config": {RunConfig},
 *     "files": [names of the run's files the dashboard holds: a checkpoint to continue from]}} →
 *     {@code {"threads"}}; 409 when the node is draining or its devices have no room for the run now, 400 when it
 *     has no device for the run's backend. The worker fetches the files over {@link #RUN_FILE} first.</li>
 * <li>{@link #stop(String)} (send, to a worker) {@code {"run", "attempt", "reason": "cancel" | "delete" |
 *     "interrupt"}}: stop at the next batch (interrupt saves where the run is first)</li>
 * <li>{@link #parameters(String)} (request, to a worker) {@code {"run", "attempt"}} → Buffer: the run's parameters
 *     between two steps (a {@link NodeReport} of type "parameters": header {@code {"epoch", "batch", "tensors":
 *     [{"name", "shape"}]}}, bytes the float32 values little-endian), for the dashboard's live probes; 409 when the
 *     run does not train there (any more)</li>
 * <li>{@link #drain(String)} (request, to a worker) {@code {"drain": true | false}} → its announcement: a
 *     draining node finishes its runs and takes no more</li>
 * <li>{@link #REPORTS} (request, to the dashboard) a Buffer ({@link NodeReport}: a JSON header, then bytes) →
 *     {@code {}}; 409 for a run not handed to that attempt (the worker stops it), 500 when it could not be stored
 *     (the worker sends it again). Headers {@code {"type", "run", "attempt"}} and by type:
 *     {@code "device" {"backend", "device"}}, {@code "rewound" {"epoch", "best": {"epoch", "accuracy"}}},
 *     {@code "epoch" {"metrics": epoch metrics, "best"}}, {@code "maps"} (the bytes: a heatmap frame),
 *     {@code "file" {"name", "offset", "total"}} (the bytes: that part of one of the run's files; the file takes
 *     the place of the dashboard's copy once its last part arrived), {@code "progress" {"progress"}} (sent once,
 *     never again), {@code "ended" {"status": "completed" | "failed" | "cancelled", "message", "reason": the stop
 *     asked for or null}}</li>
 * <li>{@link #RUN_FILE} (request, to the dashboard) {@code {"run", "attempt", "name", "offset"}} → Buffer: up to
 *     {@link #CHUNK_BYTES} bytes of that file of the run from the offset (empty at its end); 404 when absent</li>
 * <li>{@link #DATASET_FILE} (request, to the dashboard) {@code {"name", "offset"}} → Buffer: a part of one of the
 *     Fashion-MNIST files in the dashboard's data folder (a worker that has none and cannot fetch them)</li>
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
 * (the devices as {@link RunBus#DEVICES} lists them, with what each holds at once); a worker's adds {@code "runs":
 * [ids of the runs it trains], "attempts": {run id: attempt}, "draining"}, a dashboard's {@code "runs"} (those it
 * handed out that train).
 */
public final class NodeBus {
    private static final String PREFIX = "neuralgrid.";

    public static final String HEARTBEAT = PREFIX + "nodes.heartbeat";
    public static final String PING = PREFIX + "nodes.ping";
    public static final String LIST = PREFIX + "nodes.list";
    public static final String LEFT = PREFIX + "nodes.left";
    public static final String REPORTS = PREFIX + "nodes.reports";
    public static final String RUN_FILE = PREFIX + "nodes.run-file";
    public static final String DATASET_FILE = PREFIX + "nodes.dataset-file";

    /** The largest part of a file in one message. */
    public static final int CHUNK_BYTES = 1 << 20;

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

    public static String train(String nodeId) {
        return node(nodeId) + ".train";
    }

    public static String stop(String nodeId) {
        return node(nodeId) + ".stop";
    }

    public static String parameters(String nodeId) {
        return node(nodeId) + ".parameters";
    }

    public static String drain(String nodeId) {
        return node(nodeId) + ".drain";
    }
}
