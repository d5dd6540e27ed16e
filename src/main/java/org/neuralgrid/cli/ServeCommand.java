package org.neuralgrid.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.neuralgrid.bus.NodeBus;
import org.neuralgrid.cli.ClusterStart.Node;
import org.neuralgrid.cluster.Membership;
import org.neuralgrid.cluster.NodeVerticle;
import org.neuralgrid.web.Dashboard;
import org.neuralgrid.web.ServerMetrics;
import org.neuralgrid.web.ServerOptions;
import org.neuralgrid.worker.RunVerticle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The dashboard (with {@code --cluster}: the dashboard node of a cluster, see {@link ClusterCli}) until SIGTERM or SIGINT (Ctrl-C): then it takes no more runs, every running run saves its state
 * at the next batch and becomes interrupted, the store is closed, one line says so, and the process exits 0.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start the dashboard (the default when no command is given).")
final class ServeCommand implements Callable<Integer> {
    /** How long a stop may take before the process goes anyway (a batch of a very large grid, a slow disk). */
    static final long STOP_SECONDS = 20;

    @Option(names = "--host", description = "address to bind; anything but loopback needs a token (default: ${DEFAULT-VALUE})")
    String host = ServerOptions.DEFAULT_HOST;

    @Option(names = "--port", description = "port (default: ${DEFAULT-VALUE})")
    int port = ServerOptions.DEFAULT_PORT;

    @Option(names = "--data-dir", description = "where runs.db, runs/ and fashion-mnist/ live (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of("data");

    @Option(names = "--token", description = "access token required by pages, API and WebSockets (or set "
            + ServerOptions.TOKEN_ENV + ")")
    String token;

    @Option(names = "--max-concurrent", description = "the most runs that train at once (auto: as many as the devices"
            + " have room for: GPUs by memory, the CPU by cores); the rest wait (default: ${DEFAULT-VALUE})")
    String maxConcurrent = "auto";

    @Option(names = "--no-resume-elsewhere", negatable = true, description = "with --cluster: the runs of a worker"
            + " node that goes away continue on another node from their last checkpoint (default: on)")
    boolean resumeElsewhere = true;

    @Mixin
    ClusterCli cluster = new ClusterCli();

    @Override
    public Integer call() throws Exception {
        ServerOptions options = new ServerOptions(host, port, dataDir,
                ServerOptions.tokenFrom(token, System.getenv()), ServerOptions.maxConcurrent(maxConcurrent));
        cluster.checkUnused();
        PrometheusMeterRegistry registry = ServerMetrics.newRegistry();
        Node node = cluster.enabled ? ClusterStart.node(cluster, vo -> ServerMetrics.builder(registry, vo))
                : new Node(ServerMetrics.vertx(registry), Membership.alone(), options.host(), null);
        Vertx vertx = node.vertx();
        Dashboard dashboard;
        try {
            dashboard = Dashboard.start(vertx, options, registry, new JsonObject()
                    .put(RunVerticle.CLUSTER, cluster.enabled)
                    .put(RunVerticle.RESUME_ELSEWHERE, resumeElsewhere)).await();
        } catch (Exception e) {
            node.close();
            throw new IllegalStateException("could not start the dashboard on " + host + ":" + port + ": "
                    + CliErrors.describe(e), e);
        }
        try {
            vertx.deployVerticle(new NodeVerticle(NodeBus.DASHBOARD, node.host(), node.membership(),
                    cluster.joinWait(), node.contacts())).await();
        } catch (Exception e) {
            stop(dashboard, node);
            throw new IllegalStateException("could not announce the dashboard node: " + CliErrors.describe(e), e);
        }
        StopSignals signals = StopSignals.catchTermAndInt();
        System.out.println("NeuralGrid dashboard on " + dashboard.url()
                + (options.token() != null ? "?token=<your token>" : "") + " (data in " + dataDir.toAbsolutePath() + ")");
        if (node.membership().clustered()) {
            System.out.println(ClusterStart.joined("dashboard", node));
        }
        String signal = signals.await();
        System.out.println("NeuralGrid stopped on " + signal + ": " + stop(dashboard, node));
        return 0;
    }

    /** Stops the dashboard (runs interrupted at their next batch, store closed), then Vert.x; says what it did. */
    private static String stop(Dashboard dashboard, Node node) {
        String what;
        try {
            Dashboard.Stopped stopped = dashboard.stop().toCompletionStage().toCompletableFuture()
                    .get(STOP_SECONDS, TimeUnit.SECONDS);
            what = stopped.interrupted() + " running run(s) saved where they were and interrupted (resume goes on"
                    + " from there), " + stopped.queued() + " queued run(s) kept for the next start"
                    + (stopped.onNodes() > 0 ? ", " + stopped.onNodes() + " run(s) still training on worker nodes"
                    : "");
        } catch (Exception e) {
            what = "the training side did not stop cleanly within " + STOP_SECONDS + " s ("
                    + CliErrors.describe(e) + "); runs still training continue from their last checkpoint";
        }
        node.close();
        return what;
    }
}
