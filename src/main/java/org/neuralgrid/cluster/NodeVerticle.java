package org.neuralgrid.cluster;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.NodeListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.neuralgrid.bus.NodeBus;
import org.neuralgrid.engine.Device;
import org.neuralgrid.engine.catalog.BackendCatalog;

/**
 * One node's presence on the bus ({@link NodeBus}): it announces itself (its role, address and devices) every
 * {@link NodeBus#HEARTBEAT_MILLIS} ms and whenever asked, and answers its own address. On a dashboard node it also
 * keeps the {@link NodeDirectory} of all nodes and answers {@link NodeBus#LIST}: nodes appear by their
 * announcements and disappear when they leave the cluster's {@link Membership}.
 *
 * <p>A worker node that has heard no other member {@code joinWait} after its start says so in its log, once: with
 * a wrong token Hazelcast forms a cluster of its own rather than fail, so nothing else would tell.
 */
public final class NodeVerticle extends VerticleBase {
    private static final System.Logger LOG = System.getLogger(NodeVerticle.class.getName());

    private final String role;
    private final String host;
    private final Membership membership;
    private final Duration joinWait;
    private final String contacts;
    private final Supplier<JsonObject> status;
    private final List<MessageConsumer<?>> consumers = new ArrayList<>();
    private final NodeListener listener = new NodeListener() {
        @Override
        public void nodeAdded(String nodeId) {
            context.runOnContext(v -> memberJoined(nodeId));
        }

        @Override
        public void nodeLeft(String nodeId) {
            context.runOnContext(v -> memberLeft(nodeId));
        }
    };
    private JsonObject announcement;
    private NodeDirectory directory;
    private long heartbeat = -1;
    private long joinCheck = -1;
    private boolean dashboardHeard;
    private boolean saidNotJoined;

    /**
     * @param role       {@link NodeBus#DASHBOARD} or {@link NodeBus#WORKER}
     * @param host       the address this node announces
     * @param membership the cluster's members ({@link Membership#alone()} without a cluster)
     * @param joinWait   how long a worker waits for another member before it says it could not join
     * @param contacts   the members it was told to contact, in words, for that line
     */
    public NodeVerticle(String role, String host, Membership membership, Duration joinWait, String contacts) {
        this(role, host, membership, joinWait, contacts, JsonObject::new);
    }

    /**
     * A node whose announcements carry, besides the above, the fields {@code status} gives at each announcement
     * (a worker's runs and whether it drains; read from the event loop, so it must be safe to call from any thread).
     */
    public NodeVerticle(String role, String host, Membership membership, Duration joinWait, String contacts,
                        Supplier<JsonObject> status) {
        if (!role.equals(NodeBus.DASHBOARD) && !role.equals(NodeBus.WORKER)) {
            throw new IllegalArgumentException("a node is a " + NodeBus.DASHBOARD + " or a " + NodeBus.WORKER
                    + ", not " + role);
        }
        this.role = role;
        this.host = host;
        this.membership = membership;
        this.joinWait = joinWait;
        this.contacts = contacts;
        this.status = status;
    }

    @Override
    public Future<?> start() {
        // listing the devices may scan OpenCL platforms: not on the event loop
        return vertx.executeBlocking(() -> devices(BackendCatalog.standard().devices()))
                .compose(devices -> {
                    announcement = new JsonObject()
                            .put("node", membership.nodeId())
                            .put("role", role)
                            .put("host", host)
                            .put("started", Instant.now().toString())
                            .put("devices", devices);
                    listen();
                    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
                })
                .onSuccess(v -> {
                    membership.watch(listener);
                    heartbeat = vertx.setPeriodic(NodeBus.HEARTBEAT_MILLIS, id -> tick());
                    announce();
                    if (directory != null) {
                        vertx.eventBus().publish(NodeBus.PING, new JsonObject());
                    }
                    if (role.equals(NodeBus.WORKER) && membership.clustered()) {
                        joinCheck = vertx.setTimer(Math.max(1, joinWait.toMillis()), id -> checkJoined());
                    }
                });
    }

    @Override
    public Future<?> stop() {
        membership.unwatch(listener);
        vertx.cancelTimer(heartbeat);
        vertx.cancelTimer(joinCheck);
        return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
    }

    /** This node's announcement (after the start). */
    public JsonObject announcement() {
        return announcement.copy();
    }

    private void listen() {
        var bus = vertx.eventBus();
        consumers.add(bus.<JsonObject>consumer(NodeBus.PING, m -> announce()));
        consumers.add(bus.<JsonObject>consumer(NodeBus.node(membership.nodeId()), m -> m.reply(current())));
        consumers.add(bus.<JsonObject>consumer(NodeBus.HEARTBEAT, this::heard));
        if (role.equals(NodeBus.DASHBOARD)) {
            directory = new NodeDirectory(membership.nodeId());
            directory.heard(announcement, System.currentTimeMillis());
            consumers.add(bus.<JsonObject>consumer(NodeBus.LIST,
                    m -> m.reply(directory.list(System.currentTimeMillis()))));
        }
    }

    /** The announcement with the status as it is now. */
    private JsonObject current() {
        return announcement.copy().mergeIn(status.get().copy());
    }

    private void announce() {
        JsonObject now = current();
        vertx.eventBus().publish(NodeBus.HEARTBEAT, now);
        if (directory != null) {
            directory.heard(now, System.currentTimeMillis());
        }
    }

    private void tick() {
        announce();
        if (directory != null && membership.clustered()) {
            // a leave this node missed (a merge after a split) still takes the node off the list
            directory.retain(membership.nodes()).forEach(id -> {
                LOG.log(System.Logger.Level.INFO, "node " + id + " left the cluster (no longer a member)");
                vertx.eventBus().publish(NodeBus.LEFT, new JsonObject().put("node", id));
            });
        }
    }

    private void heard(Message<JsonObject> m) {
        JsonObject a = m.body();
        if (a == null || membership.nodeId().equals(a.getString("node"))) {
            return;
        }
        if (NodeBus.DASHBOARD.equals(a.getString("role")) && !dashboardHeard) {
            dashboardHeard = true;
            LOG.log(System.Logger.Level.INFO, "joined the cluster: dashboard node " + a.getString("node") + " at "
                    + a.getString("host") + " answered" + (saidNotJoined ? " after all" : ""));
        }
        if (directory == null) {
            return;
        }
        String id = a.getString("node");
        // an announcement still on its way when its node left must not bring it back
        if (!membership.nodes().contains(id)) {
            return;
        }
        if (!directory.knows(id)) {
            LOG.log(System.Logger.Level.INFO, a.getString("role") + " node " + id + " at " + a.getString("host")
                    + " joined with " + a.getJsonArray("devices", new JsonArray()).size() + " device(s)");
        }
        directory.heard(a, System.currentTimeMillis());
    }

    private void memberJoined(String nodeId) {
        announce(); // the newcomer learns of this node now, not at the next heartbeat
    }

    private void memberLeft(String nodeId) {
        if (directory != null) {
            vertx.eventBus().publish(NodeBus.LEFT, new JsonObject().put("node", nodeId));
        }
        if (directory != null && directory.left(nodeId)) {
            LOG.log(System.Logger.Level.INFO, "node " + nodeId + " left the cluster");
        } else if (directory == null) {
            LOG.log(System.Logger.Level.INFO, "member " + nodeId + " left the cluster");
        }
    }

    private void checkJoined() {
        if (membership.nodes().size() > 1 || dashboardHeard) {
            return;
        }
        saidNotJoined = true;
        LOG.log(System.Logger.Level.WARNING, "could not join the cluster at " + contacts + ": no member with this"
                + " token answered within " + joinWait.toSeconds() + " s (is a dashboard node running there, with the"
                + " same --cluster-token?); still listening on " + host);
    }

    /** The devices as {@link org.neuralgrid.bus.RunBus#DEVICES} lists them, with the room of each. */
    static JsonArray devices(List<Device> all) {
        JsonArray devices = new JsonArray();
        for (Device d : all) {
            devices.add(new JsonObject()
                    .put("backend", d.spec().toString())
                    .put("name", d.name())
                    .put("available", d.available())
                    .put("note", d.note())
                    .put("gpu", d.room().gpu())
                    .put("memoryBytes", d.room().memoryBytes())
                    .put("cores", d.room().cores()));
        }
        return devices;
    }
}
