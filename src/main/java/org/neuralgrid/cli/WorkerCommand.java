package org.neuralgrid.cli;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.neuralgrid.bus.NodeBus;
import org.neuralgrid.cli.ClusterStart.Node;
import org.neuralgrid.cluster.NodeVerticle;
import org.neuralgrid.web.ServerOptions;
import org.neuralgrid.worker.TrainingNodeVerticle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A training node of a cluster until SIGTERM or SIGINT: it joins the dashboard node's cluster, announces itself,
 * its devices and its runs ({@link NodeVerticle}), and trains the runs the dashboard hands it
 * ({@link TrainingNodeVerticle}); no HTTP, no store. On SIGTERM its runs save where they are and the dashboard
 * hands them to another node.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Start a training node that joins a dashboard node's cluster (needs --cluster).")
final class WorkerCommand implements Callable<Integer> {
    @Mixin
    ClusterCli cluster = new ClusterCli();

    @Option(names = "--data-dir", description = "the worker's own folder (Fashion-MNIST, run files in training)"
            + " (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of("data");

    @Option(names = "--max-concurrent", description = "the most runs this node trains at once (auto: as many as its"
            + " devices have room for: GPUs by memory, the CPU by cores) (default: ${DEFAULT-VALUE})")
    String maxConcurrent = "auto";

    @Override
    public Integer call() throws Exception {
        if (!cluster.enabled) {
            throw new IllegalArgumentException("a worker is a node of a cluster: give --cluster --cluster-host IP"
                    + " --cluster-members DASHBOARD:PORT and the token (--cluster-token or "
                    + "NEURALGRID_CLUSTER_TOKEN)");
        }
        int most = ServerOptions.maxConcurrent(maxConcurrent);
        Node node = ClusterStart.node(cluster, Vertx.builder()::with);
        try {
            TrainingNodeVerticle training = new TrainingNodeVerticle(node.membership().nodeId());
            node.vertx().deployVerticle(training, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
                    .setConfig(new JsonObject().put(TrainingNodeVerticle.DATA_DIR, dataDir.toAbsolutePath().toString())
                            .put(TrainingNodeVerticle.MAX_CONCURRENT, most))).await();
            node.vertx().deployVerticle(new NodeVerticle(NodeBus.WORKER, node.host(), node.membership(),
                    cluster.joinWait(), node.contacts(), training::status)).await();
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
