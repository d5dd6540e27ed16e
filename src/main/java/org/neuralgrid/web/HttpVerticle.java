package org.neuralgrid.web;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.templ.thymeleaf.ThymeleafTemplateEngine;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.neuralgrid.bus.RunBus;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.RunConfigJson;

/**
 * The dashboard's HTTP side: pages, the JSON API and the WebSocket of each run. It runs on an event loop and
 * never blocks: every question goes to the training side over the event bus ({@link RunBus}, through
 * {@link RunBusClient}) and every answer comes back as a future. Templates are rendered on a worker thread,
 * because their first rendering reads the template from the classpath.
 *
 * <p>Access: with a token ({@link ServerOptions#token()}) every page, API route and WebSocket needs it, as
 * {@code Authorization: Bearer <token>}, the {@value AccessToken#COOKIE} cookie or {@code ?token=}; a page opened
 * with a correct {@code ?token=} sets the cookie (HttpOnly, SameSite=Strict), so the page's own requests carry it.
 * {@code /health}, {@code /static/*} and {@code /webjars/*} are open. Without a token (a loopback address only)
 * requests must name a loopback host, which keeps web pages on other sites from reaching the dashboard through
 * DNS rebinding. With or without a token, a browser request that changes something (any method but GET and HEAD,
 * and every WebSocket) must come from the dashboard's own origin.
 */
public final class HttpVerticle extends VerticleBase {
    /** Request bodies larger than this are refused with 413. */
    public static final int MAX_BODY = 64 * 1024;
    public static final int MAX_NAME = 200;
    /** Runs on one comparison page. */
    public static final int MAX_COMPARE = 12;
    /** WebSocket clients of all runs together. */
    public static final int MAX_VIEWERS = 256;
    static final String TEMPLATES = "webapp/templates/";
    static final String CSV_HEADER = "epoch,train_loss,train_accuracy,test_loss,test_accuracy,learning_rate,seconds,"
            + "samples_per_second";
    private static final String[] CSV_FIELDS = {"epoch", "trainLoss", "trainAccuracy", "testLoss", "testAccuracy",
        "learningRate", "seconds", "samplesPerSecond"};
    private static final String JSON = "application/json; charset=utf-8";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String BYTES = "application/octet-stream";
    private static final System.Logger LOG = System.getLogger(HttpVerticle.class.getName());

    private final ServerOptions options;
    private final AccessToken token;
    private final Map<String, Object> formDefaults;
    private RunBusClient runs;
    private RunStream stream;
    private ThymeleafTemplateEngine templates;
    private HttpServer server;

    public HttpVerticle(ServerOptions options) {
        this.options = options;
        this.token = options.hasToken() ? new AccessToken(options.token()) : null;
        this.formDefaults = plainMap(new JsonObject(RunConfigJson.write(RunConfig.defaults())));
    }

    @Override
    public Future<?> start() {
        runs = new RunBusClient(vertx.eventBus());
        stream = new RunStream(vertx.eventBus(), runs, MAX_VIEWERS);
        templates = ThymeleafTemplateEngine.create(vertx);
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
        router.route().handler(this::commonHeaders);
        router.route().handler(this::checkHost);
        router.get("/health").handler(this::health);
        router.route("/static/*").handler(StaticHandler.create("webapp/static")).handler(this::notFound);
        router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"))
                .handler(this::notFound);

        router.route().handler(this::authorize);
        router.route().handler(this::checkOrigin);
        router.get("/ws/runs/:id").handler(this::openStream);

        router.get("/").handler(this::indexPage);
        router.get("/runs/:id").handler(this::runPage);
        router.get("/compare").handler(this::comparePage);

        router.route("/api/*").handler(this::noStore);
        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
        router.post("/api/runs").handler(this::createRun);
        router.get("/api/runs").handler(this::listRuns);
        router.get("/api/runs/:id").handler(this::getRun);
        router.delete("/api/runs/:id").handler(this::deleteRun);
        router.get("/api/runs/:id/config").handler(this::getConfig);
        router.get("/api/runs/:id/metrics").handler(this::getMetrics);
        router.post("/api/runs/:id/cancel").handler(this::cancelRun);
        router.post("/api/runs/:id/resume").handler(this::resumeRun);
        router.get("/api/runs/:id/heatmaps/:epoch").handler(this::getHeatmap);
        router.get("/api/runs/:id/weights").handler(this::getWeights);
        router.get("/api/devices").handler(this::getDevices);
        router.get("/api/datasets").handler(this::getDatasets);

        for (int status : new int[] {400, 401, 403, 404, 405, 413, 500}) {
            router.errorHandler(status, this::routingError);
        }
        return router;
    }

    // ---- filters ----

    private void commonHeaders(RoutingContext rc) {
        rc.response()
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Referrer-Policy", "no-referrer");
        rc.next();
    }

    private void noStore(RoutingContext rc) {
        rc.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        rc.next();
    }

    /** Without a token only loopback host names are answered (DNS rebinding cannot name one). */
    private void checkHost(RoutingContext rc) {
        HostAndPort authority = rc.request().authority();
        if (token != null || authority == null || ServerOptions.isLoopback(authority.host())) {
            rc.next();
            return;
        }
        refuse(rc, ApiError.of(403, "this dashboard answers only to localhost, 127.0.0.1 or [::1]; start it with"
                + " a token to reach it by another name"));
    }

    private void authorize(RoutingContext rc) {
        if (token == null) {
            rc.next();
            return;
        }
        HttpServerRequest request = rc.request();
        String fromQuery = request.getParam(AccessToken.QUERY_PARAM);
        Cookie cookie = request.getCookie(AccessToken.COOKIE);
        if (token.matches(bearer(request)) || cookie != null && token.matches(cookie.getValue())) {
            rc.next();
            return;
        }
        if (token.matches(fromQuery)) {
            if (isPage(rc)) {
                rc.response().addCookie(Cookie.cookie(AccessToken.COOKIE, fromQuery).setPath("/").setHttpOnly(true)
                        .setSameSite(CookieSameSite.STRICT).setSecure(request.isSSL()));
            }
            rc.next();
            return;
        }
        rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"neuralgrid\"");
        refuse(rc, ApiError.of(401, "this dashboard needs its access token: open it with ?token=<token> or send"
                + " Authorization: Bearer <token>"));
    }

    /** Requests that change something, and WebSockets, must come from the dashboard's own pages. */
    private void checkOrigin(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        boolean safe = request.method() == HttpMethod.GET && !isWebSocketUpgrade(request)
                || request.method() == HttpMethod.HEAD;
        if (safe || origin == null || sameOrigin(origin, request)) {
            rc.next();
            return;
        }
        refuse(rc, ApiError.of(403, "cross-origin request refused"));
    }

    // ---- open routes ----

    private void health(RoutingContext rc) {
        rc.json(new JsonObject().put("status", "ok"));
    }

    private void notFound(RoutingContext rc) {
        refuse(rc, ApiError.notFound("not found: " + rc.request().path()));
    }

    // ---- pages ----

    private void indexPage(RoutingContext rc) {
        Future<JsonObject> list = runs.list();
        Future<JsonArray> devices = runs.devices()
                .map(d -> d.getJsonArray("devices", new JsonArray()))
                .recover(e -> Future.succeededFuture(new JsonArray()));
        Future<JsonObject> dataset = runs.datasets()
                .map(d -> d.getJsonObject("fashionMnist", new JsonObject()))
                .recover(e -> Future.succeededFuture(new JsonObject().put("present", false)
                        .put("fetching", false).put("message", ApiError.from(e).message()).put("fraction", 0)));
        Future.all(list, devices, dataset)
                .map(all -> {
                    Map<String, Object> model = pageModel();
                    model.put("defaults", formDefaults);
                    model.put("runs", plainList(list.result().getJsonArray("runs", new JsonArray())));
                    model.put("devices", plainList(devices.result()));
                    model.put("dataset", plainMap(dataset.result()));
                    model.put("activations", Arrays.stream(Activation.values()).map(Activation::id).toList());
                    model.put("limits", limits());
                    return model;
                })
                .compose(model -> render("index.html", model))
                .onSuccess(html -> sendPage(rc, html))
                .onFailure(e -> refusePage(rc, ApiError.from(e)));
    }

    private void runPage(RoutingContext rc) {
        String id = rc.pathParam("id");
        if (!RunBus.isRunId(id)) {
            refusePage(rc, ApiError.notFound("there is no run '" + id + "'"));
            return;
        }
        runs.get(id)
                .map(run -> {
                    Map<String, Object> model = pageModel();
                    model.put("id", id);
                    model.put("run", plainMap(run));
                    return model;
                })
                .compose(model -> render("run.html", model))
                .onSuccess(html -> sendPage(rc, html))
                .onFailure(e -> refusePage(rc, ApiError.from(e)));
    }

    /** {@code /compare?ids=a,b,c}: every id must name a run. */
    private void comparePage(RoutingContext rc) {
        Set<String> ids = new LinkedHashSet<>();
        for (String param : rc.queryParam("ids")) {
            for (String id : param.split(",")) {
                if (!id.isBlank()) {
                    ids.add(id.trim());
                }
            }
        }
        String bad = ids.stream().filter(id -> !RunBus.isRunId(id)).findFirst().orElse(null);
        if (bad != null) {
            refusePage(rc, ApiError.notFound("there is no run '" + bad + "'"));
            return;
        }
        if (ids.size() > MAX_COMPARE) {
            refusePage(rc, ApiError.of(400, "at most " + MAX_COMPARE + " runs can be compared at once"));
            return;
        }
        List<Future<JsonObject>> found = ids.stream().map(runs::get).toList();
        Future.all(found)
                .map(all -> {
                    Map<String, Object> model = pageModel();
                    model.put("ids", List.copyOf(ids));
                    model.put("runs", found.stream().map(f -> plainMap(f.result())).toList());
                    return model;
                })
                .compose(model -> render("compare.html", model))
                .onSuccess(html -> sendPage(rc, html))
                .onFailure(e -> refusePage(rc, ApiError.from(e)));
    }

    // ---- the API ----

    /**
     * {@code {"name"?, "config": {...}}} or the configuration's fields at the top level beside an optional
     * {@code "name"}; 201 with {@code {"id"}} and a Location header.
     */
    private void createRun(RoutingContext rc) {
        Buffer body = rc.body().buffer();
        if (body == null || body.length() == 0) {
            refuse(rc, ApiError.field("body", "is empty: expected a JSON object"));
            return;
        }
        Object parsed;
        try {
            parsed = Json.decodeValue(body);
        } catch (DecodeException e) {
            refuse(rc, ApiError.field("body", "is not valid JSON: " + shorten(e.getMessage(), 200)));
            return;
        }
        if (!(parsed instanceof JsonObject json)) {
            refuse(rc, ApiError.field("body", "must be a JSON object"));
            return;
        }
        JsonObject request = new JsonObject();
        Object name = json.getValue("name");
        if (name != null) {
            String problem = nameProblem(name);
            if (problem != null) {
                refuse(rc, ApiError.field("name", problem));
                return;
            }
            if (!((String) name).isBlank()) {
                request.put("name", ((String) name).strip());
            }
        }
        if (json.containsKey("config")) {
            if (!(json.getValue("config") instanceof JsonObject config)) {
                refuse(rc, ApiError.field("config", "must be a JSON object"));
                return;
            }
            String stray = json.fieldNames().stream().filter(f -> !f.equals("name") && !f.equals("config"))
                    .findFirst().orElse(null);
            if (stray != null) {
                refuse(rc, ApiError.field(stray, "belongs inside \"config\" (or send the fields without \"config\")"));
                return;
            }
            request.put("config", config);
        } else {
            JsonObject config = json.copy();
            config.remove("name");
            request.put("config", config);
        }
        runs.start(request)
                .onSuccess(reply -> rc.response()
                        .setStatusCode(201)
                        .putHeader(HttpHeaders.LOCATION, "/api/runs/" + reply.getString("id"))
                        .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                        .end(new JsonObject().put("id", reply.getString("id")).encode()))
                .onFailure(e -> refuse(rc, ApiError.from(e)));
    }

    private void listRuns(RoutingContext rc) {
        runs.list()
                .onSuccess(rc::json)
                .onFailure(e -> refuse(rc, ApiError.from(e)));
    }

    private void getRun(RoutingContext rc) {
        String id = runId(rc);
        if (id == null) {
            return;
        }
        runs.get(id)
                .onSuccess(rc::json)
                .onFailure(e -> refuse(rc, ApiError.from(e)));
    }

    private void getConfig(RoutingContext rc) {
        String id = runId(rc);
        if (id == null) {
            return;
        }
        runs.get(id)
                .onSuccess(run -> rc.json(run.getJsonObject("config", new JsonObject())))
                .onFailure(e -> refuse(rc, ApiError.from(e)));
    }

    /** JSON {@code {"id", "epochs"}}, or CSV with {@code ?format=csv}. */
    private void getMetrics(RoutingContext rc) {
        String id = runId(rc);
        if (id == null) {
            return;
        }
        String format = rc.queryParams().get("format");
        boolean csv = "csv".equalsIgnoreCase(format);
        if (format != null && !csv && !"json".equalsIgnoreCase(format)) {
            refuse(rc, ApiError.field("format", "must be json or csv, got '" + shorten(format, 20) + "'"));
            return;
        }
        runs.metrics(id)
                .onSuccess(metrics -> {
                    if (csv) {
                        rc.response()
                                .putHeader(HttpHeaders.CONTENT_TYPE, "text/csv; charset=utf-8")
                                .putHeader(HttpHeaders.CONTENT_DISPOSITION,
                                        "attachment; filename=\"neuralgrid-" + id + "-metrics.csv\"")
                                .end(csv(metrics.getJsonArray("epochs", new JsonArray())));
                    } else {
                        rc.json(metrics);
                    }
                })
                .onFailure(e -> refuse(rc, ApiError.from(e)));
    }

    private void cancelRun(RoutingContext rc) {
        String id = runId(rc);
        if (id == null) {
            return;
        }
        runs.cancel(id)
                .onSuccess(rc::json)
                .onFailure(e -> refuse(rc, ApiError.from(e)));
    }

    private void resumeRun(RoutingContext rc) {
        String id = runId(rc);
        if (id == null) {
            return;
        }
        runs.resume(id)
                .onSuccess(rc::json)
                .onFailure(e -> refuse(rc, ApiError.from(e)));
    }

    private void deleteRun(RoutingContext rc) {
        String id = runId(rc);
        if (id == null) {
            return;
        }
        runs.delete(id)
                .onSuccess(reply -> rc.response().setStatusCode(204).end())
                .onFailure(e -> refuse(rc, ApiError.from(e)));
    }

    /** The {@link org.neuralgrid.bus.HeatmapFrame} of one epoch, as bytes. */
    private void getHeatmap(RoutingContext rc) {
        String id = runId(rc);
        if (id == null) {
            return;
        }
        String epochText = rc.pathParam("epoch");
        if (!epochText.matches("\\d{1,9}")) {
            refuse(rc, ApiError.notFound("there is no epoch '" + shorten(epochText, 20) + "'"));
            return;
        }
        runs.heatmap(id, Integer.parseInt(epochText))
                .onSuccess(frame -> rc.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, BYTES)
                        .end(frame))
                .onFailure(e -> refuse(rc, ApiError.from(e)));
    }

    /** The weights.safetensors bytes, as a download named after the run and its grid. */
    private void getWeights(RoutingContext rc) {
        String id = runId(rc);
        if (id == null) {
            return;
        }
        Future<JsonObject> run = runs.get(id);
        Future<Buffer> weights = run.compose(r -> runs.weights(id));
        weights
                .onSuccess(bytes -> rc.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, BYTES)
                        .putHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\""
                                + weightsFileName(id, run.result().getString("grid")) + "\"")
                        .end(bytes))
                .onFailure(e -> refuse(rc, ApiError.from(e)));
    }

    private void getDevices(RoutingContext rc) {
        runs.devices()
                .onSuccess(rc::json)
                .onFailure(e -> refuse(rc, ApiError.from(e)));
    }

    private void getDatasets(RoutingContext rc) {
        runs.datasets()
                .onSuccess(rc::json)
                .onFailure(e -> refuse(rc, ApiError.from(e)));
    }

    // ---- the WebSocket ----

    /**
     * {@code /ws/runs/:id}: the token and the origin were checked before this; the run must exist before the
     * connection is upgraded (404 otherwise). The request is paused while the bus answers, so that the upgrade
     * still finds it unread.
     */
    private void openStream(RoutingContext rc) {
        String id = runId(rc);
        if (id == null) {
            return;
        }
        if (!isWebSocketUpgrade(rc.request())) {
            refuse(rc, ApiError.of(426, "this address speaks WebSocket only"));
            return;
        }
        if (stream.full()) {
            refuse(rc, ApiError.of(503, "too many WebSocket clients; try again later"));
            return;
        }
        rc.request().pause();
        Future<JsonObject> run = runs.get(id).onFailure(e -> {
            rc.request().resume();
            refuse(rc, ApiError.from(e));
        });
        run.compose(found -> rc.request().toWebSocket())
                .onSuccess(ws -> stream.add(id, ws))
                .onFailure(e -> {
                    if (run.succeeded()) {
                        LOG.log(System.Logger.Level.DEBUG, "WebSocket upgrade failed: " + e.getMessage());
                    }
                });
    }

    // ---- helpers ----

    /** The {@code :id} of the route, or null after a 404 when it is not of the form of a run id. */
    private String runId(RoutingContext rc) {
        String id = rc.pathParam("id");
        if (RunBus.isRunId(id)) {
            return id;
        }
        refuse(rc, ApiError.notFound("there is no run '" + shorten(String.valueOf(id), 40) + "'"));
        return null;
    }

    /** Router-level failures (no route, wrong method, body too large, a thrown exception) as JSON or a page. */
    private void routingError(RoutingContext rc) {
        int status = rc.statusCode() > 0 ? rc.statusCode() : 500;
        Throwable failure = rc.failure();
        String message = switch (status) {
            case 404 -> "not found: " + rc.request().path();
            case 405 -> rc.request().method() + " is not allowed here";
            case 413 -> "the request body is larger than " + MAX_BODY + " bytes";
            case 400 -> failure == null || failure.getMessage() == null ? "bad request" : failure.getMessage();
            case 401 -> "the access token is missing or wrong";
            case 403 -> "forbidden";
            default -> "internal error";
        };
        if (status >= 500) {
            LOG.log(System.Logger.Level.WARNING, "request " + rc.request().method() + " " + rc.request().path()
                    + " failed", failure);
        }
        refuse(rc, ApiError.of(status, message));
    }

    /** An error as JSON, or as a short page where a browser asked for a page. */
    private void refuse(RoutingContext rc, ApiError error) {
        if (isPage(rc)) {
            refusePage(rc, error);
            return;
        }
        if (rc.response().ended() || rc.response().closed()) {
            return;
        }
        rc.response()
                .setStatusCode(error.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .end(error.body().encode());
    }

    private void refusePage(RoutingContext rc, ApiError error) {
        if (rc.response().ended() || rc.response().closed()) {
            return;
        }
        String title = switch (error.status()) {
            case 401 -> "Access token needed";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 503 -> "Training side unavailable";
            default -> "Error " + error.status();
        };
        String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title
                + " · NeuralGrid</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head>"
                + "<body class=\"error-page\"><main><h1>" + title + "</h1><p>" + escape(error.message())
                + "</p><p><a href=\"/\">Back to the dashboard</a></p></main></body></html>\n";
        rc.response().setStatusCode(error.status()).putHeader(HttpHeaders.CONTENT_TYPE, HTML).end(html);
    }

    private void sendPage(RoutingContext rc, Buffer html) {
        rc.response().putHeader(HttpHeaders.CONTENT_TYPE, HTML).putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(html);
    }

    /** Renders on a worker thread: the first rendering of a template reads it from the classpath. */
    private Future<Buffer> render(String template, Map<String, Object> model) {
        return vertx.executeBlocking(() -> templates.render(model, TEMPLATES + template), false)
                .compose(rendered -> rendered);
    }

    private Map<String, Object> pageModel() {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("classNames", List.of(Dataset.CLASS_NAMES));
        return model;
    }

    private static Map<String, Object> limits() {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("height", RunConfig.MAX_HEIGHT);
        limits.put("width", RunConfig.MAX_WIDTH);
        limits.put("kernel", RunConfig.MAX_KERNEL);
        limits.put("batch", RunConfig.MAX_BATCH);
        limits.put("epochs", RunConfig.MAX_EPOCHS);
        limits.put("samples", RunConfig.MAX_SAMPLES);
        limits.put("threads", RunConfig.MAX_THREADS);
        limits.put("lr", RunConfig.MAX_LR);
        limits.put("gain", RunConfig.MAX_GAIN);
        limits.put("layers", RunConfig.MAX_LAYERS);
        limits.put("sheet", RunConfig.SHEET);
        return limits;
    }

    /** A page is what a browser navigates to: anything but the API and the WebSocket. */
    private static boolean isPage(RoutingContext rc) {
        String path = rc.request().path();
        return !path.startsWith("/api/") && !path.equals("/api") && !path.startsWith("/ws/")
                && !path.startsWith("/static/") && !path.startsWith("/webjars/") && !path.equals("/health");
    }

    private static boolean isWebSocketUpgrade(HttpServerRequest request) {
        return "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
    }

    private static String bearer(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }

    /** Whether an Origin header names the scheme, host and port this request was sent to. */
    static boolean sameOrigin(String origin, HttpServerRequest request) {
        HostAndPort authority = request.authority();
        if (authority == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String expectedScheme = request.isSSL() ? "https" : "http";
            int defaultPort = request.isSSL() ? 443 : 80;
            int originPort = uri.getPort() == -1 ? defaultPort : uri.getPort();
            int requestPort = authority.port() == -1 ? defaultPort : authority.port();
            return scheme.equals(expectedScheme) && uri.getHost() != null
                    && bare(uri.getHost()).equalsIgnoreCase(bare(authority.host())) && originPort == requestPort;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Null when a run name is acceptable, else what is wrong with it. */
    private static String nameProblem(Object name) {
        if (!(name instanceof String text)) {
            return "must be a string";
        }
        if (text.strip().length() > MAX_NAME) {
            return "must be at most " + MAX_NAME + " characters";
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            return "must not contain control characters";
        }
        return null;
    }

    static String weightsFileName(String id, String grid) {
        // "HxW" (2D) or "28x28xL" (3D)
        String g = grid != null && grid.matches("\\d{1,5}x\\d{1,5}(x\\d{1,5})?") ? "-" + grid : "";
        return "neuralgrid-" + id + g + ".safetensors";
    }

    static String csv(JsonArray epochs) {
        StringBuilder out = new StringBuilder(CSV_HEADER).append('\n');
        for (int i = 0; i < epochs.size(); i++) {
            JsonObject e = epochs.getJsonObject(i);
            for (int f = 0; f < CSV_FIELDS.length; f++) {
                Object v = e.getValue(CSV_FIELDS[f]);
                out.append(f == 0 ? "" : ",").append(v instanceof Number ? v.toString() : "");
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** JsonObjects and JsonArrays as plain maps and lists, as the templates' expressions expect. */
    static Map<String, Object> plainMap(JsonObject json) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : json) {
            map.put(e.getKey(), plain(e.getValue()));
        }
        return map;
    }

    static List<Object> plainList(JsonArray json) {
        List<Object> list = new ArrayList<>(json.size());
        for (Object v : json) {
            list.add(plain(v));
        }
        return list;
    }

    private static Object plain(Object v) {
        if (v instanceof JsonObject o) {
            return plainMap(o);
        }
        if (v instanceof JsonArray a) {
            return plainList(a);
        }
        return v;
    }

    private static String shorten(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, max) + "…";
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
