package org.neuralgrid.cluster;

import com.hazelcast.config.Config;
import io.vertx.core.spi.cluster.NodeListener;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Vert.x's Hazelcast cluster manager with room for more than one node listener. The {@code ClusterManager} SPI
 * keeps one listener, and Vert.x itself sets it (its HA manager, which cleans up after a node that left); this
 * one passes every event to Vert.x's listener first, then to the node verticle's.
 */
final class WatchedClusterManager extends HazelcastClusterManager implements Membership {
    private final List<NodeListener> watchers = new CopyOnWriteArrayList<>();

    WatchedClusterManager(Config config) {
        super(config);
        nodeListener(null); // the watchers hear of members even if Vert.x never sets a listener of its own
    }

    @Override
    public void nodeListener(NodeListener vertxOwn) {
        super.nodeListener(new NodeListener() {
            @Override
            public void nodeAdded(String nodeId) {
                if (vertxOwn != null) {
                    vertxOwn.nodeAdded(nodeId);
                }
                watchers.forEach(w -> w.nodeAdded(nodeId));
            }

            @Override
            public void nodeLeft(String nodeId) {
                if (vertxOwn != null) {
                    vertxOwn.nodeLeft(nodeId);
                }
                watchers.forEach(w -> w.nodeLeft(nodeId));
            }
        });
    }

    @Override
    public String nodeId() {
        return getNodeId();
    }

    @Override
    public List<String> nodes() {
        return isActive() ? List.copyOf(getNodes()) : List.of(getNodeId());
    }

    @Override
    public boolean clustered() {
        return true;
    }

    @Override
    public void watch(NodeListener listener) {
        watchers.add(listener);
    }

    @Override
    public void unwatch(NodeListener listener) {
        watchers.remove(listener);
    }
}
