package org.neuralgrid.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import org.neuralgrid.bus.RunBus;

/**
 * The dashboard's HTTP side: the wiring of its rooms, each of one concern: the access filters ({@link HostFilter},
 * {@link TokenFilter}, {@link OriginFilter}), the pages ({@link DashboardPages}), the JSON API ({@link RunsApi},
 * a sub-router under /api) and the WebSocket of each run ({@link RunStream}); failures become answers in
 * {@link Replies}. It runs on an event loop and never blocks: every question goes to the training side over the
 * event bus ({@link RunBus}, through {@link RunBusClient}) and every answer comes back as a future.
 *
 * <p>Access: with a token ({@link ServerOptions#token()}) every page, API route, WebSocket and {@code /metrics}
 * ({@link ServerMetrics}) needs it;
 * {@code /health}, {@code /static/*} and {@code /webjars/*} are open. Without a token (a loopback address only)
 * requests must name a loopback host. With or without a token, a browser request that changes something must
 * come from the dashboard's own origin.
 */
public final class HttpVerticle extends VerticleBase {
    /** WebSocket clients of all runs together. */
    public static final int MAX_VIEWERS = 256;

    private final ServerOptions options;
    private final ServerMetrics metrics;
    private RunBusClient runs;
    private RunStream stream;
    private DashboardPages pages;
    private HttpServer server;
    private long probe;

    /** The HTTP side, its meters in {@code registry} ({@code /metrics} serves them when it is Prometheus's). */
    public HttpVerticle(ServerOptions options, MeterRegistry registry) {
        this.options = options;
        this.metrics = new ServerMetrics(registry);
    }

    @Override
    public Future<?> start() {
        runs = new RunBusClient(vertx.eventBus());
        stream = new RunStream(vertx.eventBus(), runs, MAX_VIEWERS);
        pages = new DashboardPages(vertx, runs);
        metrics.watch(stream);
        probe = metrics.probe(vertx);
        HttpServerOptions serverOptions = new HttpServerOptions()
                // heatmaps are bytes of noise to deflate, and deflating them would cost the event loop
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false);
        return vertx.createHttpServer(serverOptions)
                .requestHandler(router())
                .listen(options.port(), options.host())
                .onSuccess(s -> server = s);
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(probe);
        metrics.close();
        return stream.close();
    }

    /** The port the server listens on (the chosen one when the options said 0). */
    public int actualPort() {
        if (server == null) {
            throw new IllegalStateException("the HTTP server is not listening");
        }
        return server.actualPort();
    }

    /** Viewers of a run's stream, counted on the verticle's own thread. */
    Future<Integer> viewers(String runId) {
        Promise<Integer> count = Promise.promise();
        context.runOnContext(v -> count.complete(stream.viewers(runId)));
        return count.future();
    }

    /** Runs whose events the stream is listening to (one pair of consumers each). */
    Future<Integer> watchedRuns() {
        Promise<Integer> count = Promise.promise();
        context.runOnContext(v -> count.complete(stream.channels()));
        return count.future();
    }

    Router router() {
        Router router = Router.router(vertx);
        router.route().handler(this::securityHeaders);
        router.route().handler(new HostFilter(options.hasToken()));
        router.get("/health").handler(this::health);
        // the page's modules are not versioned: a browser revalidates them (304 when unchanged) rather than mix
        // old and new ones for a day after an upgrade
        router.route("/static/*").handler(StaticHandler.create("webapp/static").setMaxAgeSeconds(0))
                .handler(this::notFound);
        router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"))
                .handler(this::notFound);

        if (options.hasToken()) {
            router.route().handler(new TokenFilter(new AccessToken(options.token())));
        }
        router.route().handler(new OriginFilter());
        router.get("/metrics").handler(metrics.endpoint());
        router.get("/ws/runs/:id").handler(stream::upgrade);

        router.get("/").handler(pages::index);
        router.get("/runs/:id").handler(pages::run);
        router.get("/sweeps/:id").handler(pages::sweep);
        router.get("/compare").handler(pages::compare);
        router.route("/api/*").subRouter(new RunsApi(runs).router(vertx));

        for (int status : new int[] {400, 401, 403, 404, 405, 413, 500}) {
            router.errorHandler(status, rc -> Replies.routingError(rc, RunsApi.bodyLimit(rc.request().path())));
        }
        return router;
    }

    private void securityHeaders(RoutingContext rc) {
        rc.response()
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Referrer-Policy", "no-referrer");
        rc.next();
    }

    private void health(RoutingContext rc) {
        rc.json(new JsonObject().put("status", "ok"));
    }

    private void notFound(RoutingContext rc) {
        Replies.error(rc, ApiError.notFound("not found: " + rc.request().path()));
    }
}
