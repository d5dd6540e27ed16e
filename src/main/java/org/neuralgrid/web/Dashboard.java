package org.neuralgrid.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.neuralgrid.worker.RunVerticle;

/**
 * The whole dashboard in one Vert.x instance: the training side ({@link RunVerticle}, a worker verticle that owns
 * the data folder) and the HTTP side ({@link HttpVerticle}, on an event loop), which talk only over the event bus.
 * The training side is deployed first, so the first page finds it answering; a failed bind undeploys it again.
 *
 * <pre>{@code
 * Dashboard.start(vertx, options).onSuccess(d -> System.out.println("listening on " + d.port()));
 * }</pre>
 */
public final class Dashboard {
    private final Vertx vertx;
    private final ServerOptions options;
    private final String trainingDeployment;
    private final String httpDeployment;
    private final HttpVerticle http;
    private final RunVerticle training;

    /**
     * What a stop left: runs interrupted at their next batch (resumable from there), runs still queued, and runs
     * that keep training on worker nodes of a cluster.
     */
    public record Stopped(int interrupted, int queued, int onNodes) {
    }

    private Dashboard(Vertx vertx, ServerOptions options, String trainingDeployment, String httpDeployment,
                      HttpVerticle http, RunVerticle training) {
        this.vertx = vertx;
        this.options = options;
        this.trainingDeployment = trainingDeployment;
        this.httpDeployment = httpDeployment;
        this.http = http;
        this.training = training;
    }

    /** {@link #start(Vertx, ServerOptions, MeterRegistry)} with meters nobody reads (no /metrics). */
    public static Future<Dashboard> start(Vertx vertx, ServerOptions options) {
        return start(vertx, options, new SimpleMeterRegistry());
    }

    /**
     * Deploys the training side, then the HTTP side, both keeping their meters in {@code registry} (a Prometheus
     * registry: {@code /metrics} serves it, with the Vert.x metrics of {@link ServerMetrics#vertx}); fails (leaving
     * nothing deployed) when either fails.
     */
    public static Future<Dashboard> start(Vertx vertx, ServerOptions options, MeterRegistry registry) {
        return start(vertx, options, registry, new JsonObject());
    }

    /**
     * As above, with more of the training side's configuration ({@link RunVerticle#CLUSTER} and
     * {@link RunVerticle#RESUME_ELSEWHERE} for the dashboard node of a cluster).
     */
    public static Future<Dashboard> start(Vertx vertx, ServerOptions options, MeterRegistry registry,
                                          JsonObject trainingConfig) {
        DeploymentOptions training = new DeploymentOptions()
                .setThreadingModel(ThreadingModel.WORKER)
                .setConfig(trainingConfig.copy()
                        .put(RunVerticle.DATA_DIR, options.dataDir().toAbsolutePath().toString())
                        .put(RunVerticle.MAX_CONCURRENT, options.maxConcurrent()));
        HttpVerticle http = new HttpVerticle(options, registry);
        RunVerticle runs = new RunVerticle(registry);
        return vertx.deployVerticle(runs, training).compose(trainingId ->
                vertx.deployVerticle(http)
                        .map(httpId -> new Dashboard(vertx, options, trainingId, httpId, http, runs))
                        .recover(bindFailed -> vertx.undeploy(trainingId)
                                .transform(undeployed -> Future.failedFuture(bindFailed))));
    }

    /** The port the HTTP server listens on (the chosen one when the options asked for port 0). */
    public int port() {
        return http.actualPort();
    }

    /** The HTTP side (tests look at its WebSocket viewers). */
    HttpVerticle http() {
        return http;
    }

    public ServerOptions options() {
        return options;
    }

    /** The address to open in a browser on this machine (without the token). */
    public String url() {
        return options.url(port());
    }

    /**
     * Stops the HTTP side (closing its WebSockets), then the training side, which leaves running runs
     * interrupted and resumable.
     */
    public Future<Stopped> stop() {
        return vertx.undeploy(httpDeployment)
                .transform(httpStopped -> vertx.undeploy(trainingDeployment)
                        .compose(v -> httpStopped.succeeded()
                                ? Future.succeededFuture(new Stopped(training.interruptedOnStop(),
                                        training.queuedOnStop(), training.onNodesOnStop()))
                                : Future.failedFuture(httpStopped.cause())));
    }
}
