package org.neuralgrid.cli;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.neuralgrid.cluster.ClusterNode;
import org.neuralgrid.cluster.ClusterOptions;
import org.neuralgrid.cluster.Membership;

/**
 * Starting and stopping the Vert.x of a node, clustered or not; the only class of the CLI that names
 * {@link ClusterNode}, and it does only when {@code --cluster} is given.
 */
final class ClusterStart {
    /** How long a clustered node waits to leave the cluster before the process goes anyway. */
    static final long LEAVE_SECONDS = 30;

    private ClusterStart() {
    }

    /**
     * A node's Vert.x and who else is there.
     *
     * @param host     the address the node announces
     * @param cluster  the cluster options, or null without a cluster
     */
    record Node(Vertx vertx, Membership membership, String host, ClusterOptions cluster) {
        /** The members it was told to contact, in words. */
        String contacts() {
            return cluster == null ? "" : cluster.membersText();
        }

        /**
         * Closes Vert.x; a clustered one leaves the cluster first, waited for a while, so that the others see it
         * go at once rather than by a missed heartbeat.
         */
        void close() {
            if (cluster == null) {
                // no listener: Vert.x completes its close on the event loops it is closing, which would refuse it
                vertx.close();
                return;
            }
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(LEAVE_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("neuralgrid: leaving the cluster took more than " + LEAVE_SECONDS + " s: "
                        + CliErrors.describe(e));
            }
        }
    }

    /** Joins the cluster of the options given ({@code cli.enabled} must hold). */
    static Node node(ClusterCli cli, Function<VertxOptions, VertxBuilder> builder) {
        ClusterOptions options = new ClusterOptions(cli.host, cli.port, cli.busPort, ClusterOptions.members(cli.members),
                ClusterOptions.tokenFrom(cli.token, System.getenv()));
        cli.joinWait();
        bindable(options.host(), options.port(), "--cluster-port");
        bindable(options.host(), options.busPort(), "--cluster-bus-port");
        try {
            ClusterNode node = ClusterNode.start(options, builder).await();
            return new Node(node.vertx(), node.membership(), options.host(), options);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the cluster node on " + options.host() + ":"
                    + options.port() + ": " + CliErrors.describe(e), e);
        }
    }

    /**
     * Refuses, in one line, an address this machine does not have or a port that is taken, before Hazelcast tries
     * (which fails the same way, with pages of stack traces from it and Vert.x).
     */
    private static void bindable(String host, int port, String option) {
        if (port == 0) {
            return;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true); // connections of a node that just stopped, in TIME_WAIT, do not hold the port
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot bind " + host + ":" + port + " (" + e.getMessage() + "): is "
                    + host + " an address of this machine, and " + option + " " + port + " free?", e);
        }
    }

    /** The line a node prints once it is in the cluster. */
    static String joined(String role, Node node) {
        ClusterOptions o = node.cluster();
        int members = node.membership().nodes().size();
        return "NeuralGrid " + role + " node " + node.membership().nodeId() + " on " + o.host() + ":" + o.port()
                + " (cluster members given: " + o.membersText() + "; " + members + " member(s) now)";
    }
}
