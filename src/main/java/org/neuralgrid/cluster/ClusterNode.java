package org.neuralgrid.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A clustered Vert.x on Hazelcast, configured by {@link ClusterOptions}: the one place that starts a cluster
 * manager. Nothing of Hazelcast loads before {@link #start} is called, so a node without {@code --cluster} never
 * loads it.
 *
 * <pre>{@code
 * ClusterNode node = ClusterNode.start(options, o -> Vertx.builder().with(o)).await();
 * node.vertx().deployVerticle(new NodeVerticle(NodeBus.WORKER, options.host(), node.membership(), ...));
 * }</pre>
 */
public final class ClusterNode {
    /**
     * Hazelcast's own lines go to java.util.logging with the rest, warnings and worse only (at INFO it writes a
     * banner, its member lists and its settings at every start). Held here: JUL keeps loggers by weak reference.
     */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");
    /** Its warning that CP data structures are not strongly consistent: Vert.x uses none of them here. */
    private static final Logger CP_LOG = Logger.getLogger("com.hazelcast.cp.CPSubsystem");

    private final Vertx vertx;
    private final WatchedClusterManager manager;
    private final ClusterOptions options;

    private ClusterNode(Vertx vertx, WatchedClusterManager manager, ClusterOptions options) {
        this.vertx = vertx;
        this.manager = manager;
        this.options = options;
    }

    /**
     * Joins (or forms) the cluster and starts Vert.x on it. {@code builder} makes the Vert.x builder from options
     * that carry the event bus's address (metrics may be added to it); the cluster manager is set here.
     */
    public static Future<ClusterNode> start(ClusterOptions options, Function<VertxOptions, VertxBuilder> builder) {
        ClusterOptions.noCallsOut();
        // the member's own address, taken as given rather than picked from the machine's interfaces (one cluster
        // node a process: the property is the JVM's)
        System.setProperty("hazelcast.local.localAddress", options.host());
        if (HAZELCAST_LOG.getLevel() == null) {
            HAZELCAST_LOG.setLevel(Level.WARNING);
        }
        if (CP_LOG.getLevel() == null) {
            CP_LOG.setLevel(Level.SEVERE);
        }
        WatchedClusterManager manager = new WatchedClusterManager(options.hazelcastConfig());
        return builder.apply(new VertxOptions().setEventBusOptions(options.eventBusOptions()))
                .withClusterManager(manager)
                .buildClustered()
                .map(vertx -> new ClusterNode(vertx, manager, options));
    }

    public Vertx vertx() {
        return vertx;
    }

    /** The members of the cluster, as the node verticle watches them. */
    public Membership membership() {
        return manager;
    }

    public ClusterOptions options() {
        return options;
    }
}
