package org.neuralgrid.cluster;

import io.vertx.core.spi.cluster.NodeListener;
import java.util.List;
import java.util.UUID;

/**
 * Who is in the cluster, as the node verticle sees it: its own node id, the ids of the members now, and a listener
 * for members that come and go. Backed by Vert.x's cluster manager when clustered ({@link ClusterNode}), or by a
 * node alone ({@link #alone()}), which never loads a cluster manager.
 */
public interface Membership {
    /** This node's id: the cluster manager's node id when clustered. */
    String nodeId();

    /** The ids of the members now, this one among them. */
    List<String> nodes();

    /** Whether this node is part of a cluster at all. */
    boolean clustered();

    /** Starts telling {@code listener} of members that join and leave (on a thread of the cluster manager). */
    void watch(NodeListener listener);

    /** Stops telling {@code listener}. */
    void unwatch(NodeListener listener);

    /** A node by itself (no {@code --cluster}): it is the only member, and nobody ever joins or leaves. */
    static Membership alone() {
        String id = UUID.randomUUID().toString();
        return new Membership() {
            @Override
            public String nodeId() {
                return id;
            }

            @Override
            public List<String> nodes() {
                return List.of(id);
            }

            @Override
            public boolean clustered() {
                return false;
            }

            @Override
            public void watch(NodeListener listener) {
            }

            @Override
            public void unwatch(NodeListener listener) {
            }
        };
    }
}
