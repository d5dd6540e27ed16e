package org.neuralgrid.cli;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.neuralgrid.bus.NodeBus;
import org.neuralgrid.cli.ClusterStart.Node;
import org.neuralgrid.cluster.NodeVerticle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A training node of a cluster until SIGTERM or SIGINT: it joins the dashboard node's cluster and announces
 * itself and its devices ({@link NodeVerticle}); no HTTP, no store. (Training runs placed on it by the dashboard
 * come with the next part of the cluster work.)
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Start a training node that joins a dashboard node's cluster (needs --cluster).")
final class WorkerCommand implements Callable<Integer> {
    @Mixin
    ClusterCli cluster = new ClusterCli();

    @Option(names = "--data-dir", description = "the worker's own folder (Fashion-MNIST, run files in training)"
            + " (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of("data");

    @Override
    public Integer call() throws Exception {
        if (!cluster.enabled) {
            throw new IllegalArgumentException("a worker is a node of a cluster: give --cluster --cluster-host IP"
                    + " --cluster-members DASHBOARD:PORT and the token (--cluster-token or "
                    + "NEURALGRID_CLUSTER_TOKEN)");
        }
        Node node = ClusterStart.node(cluster, Vertx.builder()::with);
        try {
            node.vertx().deployVerticle(new NodeVerticle(NodeBus.WORKER, node.host(), node.membership(),
                    cluster.joinWait(), node.contacts())).await();
        } catch (Exception e) {
            node.close();
            throw new IllegalStateException("could not announce the worker node: " + CliErrors.describe(e), e);
        }
        StopSignals signals = StopSignals.catchTermAndInt();
        System.out.println(ClusterStart.joined("worker", node) + " (data in " + dataDir.toAbsolutePath() + ")");
        String signal = signals.await();
        node.close();
        System.out.println("NeuralGrid worker stopped on " + signal + ": left the cluster");
        return 0;
    }
}
