package org.neuralgrid.cli;

import java.time.Duration;
import org.neuralgrid.cluster.ClusterOptions;
import picocli.CommandLine.Option;

/**
 * The cluster options that {@code serve} and {@code worker} share (a picocli mixin). No method here names a class
 * of the cluster package (picocli reflects on them, which would load it): {@link ClusterStart} turns these into
 * {@code ClusterOptions}, and only with {@code --cluster}.
 */
final class ClusterCli {
    static final int DEFAULT_JOIN_WAIT_SECONDS = 20;

    @Option(names = "--cluster", description = "join a cluster of NeuralGrid nodes (Vert.x on Hazelcast, members"
            + " from --cluster-members only: no multicast, no phone-home)")
    boolean enabled;

    @Option(names = "--cluster-host", paramLabel = "IP", description = "with --cluster: the IPv4 address of this"
            + " machine to bind for the cluster, and only that one (required)")
    String host;

    @Option(names = "--cluster-port", paramLabel = "PORT", description = "with --cluster: the Hazelcast member port"
            + " (0: any free port; default: ${DEFAULT-VALUE})")
    int port = ClusterOptions.DEFAULT_PORT;

    @Option(names = "--cluster-bus-port", paramLabel = "PORT", description = "with --cluster: the event bus's port"
            + " (0: any free port; default: ${DEFAULT-VALUE})")
    int busPort = 0;

    @Option(names = "--cluster-members", paramLabel = "HOST:PORT,...", description = "with --cluster: members to"
            + " contact (a worker names the dashboard node; the first node may name none)")
    String members;

    @Option(names = "--cluster-token", paramLabel = "TOKEN", description = "with --cluster: the secret every node"
            + " shares, 12 characters or more (or set " + ClusterOptions.TOKEN_ENV + ")")
    String token;

    @Option(names = "--cluster-join-wait", paramLabel = "SECONDS", description = "with --cluster: how long a worker"
            + " waits for another member before it says it could not join (default: ${DEFAULT-VALUE})")
    int joinWaitSeconds = DEFAULT_JOIN_WAIT_SECONDS;

    /** Refuses cluster options given without {@code --cluster} (they would be silently ignored). */
    void checkUnused() {
        if (!enabled && (host != null || members != null || token != null)) {
            throw new IllegalArgumentException("--cluster-host, --cluster-members and --cluster-token need --cluster");
        }
    }

    Duration joinWait() {
        if (joinWaitSeconds < 1) {
            throw new IllegalArgumentException("--cluster-join-wait must be 1 second or more, got " + joinWaitSeconds);
        }
        return Duration.ofSeconds(joinWaitSeconds);
    }
}
