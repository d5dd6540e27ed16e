package org.neuralgrid.cli;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.neuralgrid.web.Dashboard;
import org.neuralgrid.web.ServerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start the dashboard (the default when no command is given).")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--host", description = "address to bind; anything but loopback needs a token (default: ${DEFAULT-VALUE})")
    String host = ServerOptions.DEFAULT_HOST;

    @Option(names = "--port", description = "port (default: ${DEFAULT-VALUE})")
    int port = ServerOptions.DEFAULT_PORT;

    @Option(names = "--data-dir", description = "where runs.db, runs/ and fashion-mnist/ live (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of("data");

    @Option(names = "--token", description = "access token required by pages, API and WebSockets (or set "
            + ServerOptions.TOKEN_ENV + ")")
    String token;

    @Option(names = "--max-concurrent", description = "runs that may train at once; the rest wait (default: ${DEFAULT-VALUE})")
    int maxConcurrent = ServerOptions.DEFAULT_MAX_CONCURRENT;

    @Override
    public Integer call() throws Exception {
        ServerOptions options = new ServerOptions(host, port, dataDir,
                ServerOptions.tokenFrom(token, System.getenv()), maxConcurrent);
        Vertx vertx = Vertx.vertx();
        Dashboard dashboard;
        try {
            dashboard = Dashboard.start(vertx, options).await();
        } catch (Exception e) {
            vertx.close().await();
            throw new IllegalStateException("could not start the dashboard on " + host + ":" + port + ": "
                    + CliErrors.describe(e), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // runs still training become "interrupted" and can be resumed from their checkpoint
            dashboard.stop().compose(v -> vertx.close()).onComplete(r -> stopped.countDown());
            try {
                stopped.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "neuralgrid-shutdown"));
        System.out.println("NeuralGrid dashboard on " + dashboard.url()
                + (options.token() != null ? "?token=<your token>" : "") + " (data in " + dataDir.toAbsolutePath() + ")");
        new CountDownLatch(1).await();
        return 0;
    }
}
