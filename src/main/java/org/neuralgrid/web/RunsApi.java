package org.neuralgrid.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.neuralgrid.bus.RunId;
import org.neuralgrid.io.HeatmapExport;
import org.neuralgrid.io.HeatmapFrame;
import org.neuralgrid.io.MapKind;
import org.neuralgrid.io.ProbeImage;

/**
 * The JSON API under /api (see the package documentation for every route): a sub-router whose handlers ask the
 * training side over the bus and answer with what it replies. The run id of every {@code /runs/:id} route is
 * checked once, before any handler; the start request's content is the training side's to judge.
 */
final class RunsApi {
    /** Request bodies larger than this are refused with 413. */
    static final int MAX_BODY = 64 * 1024;
    private static final String BYTES = "application/octet-stream";

    /** A probe's body: a picture of at most {@link ProbeImage#MAX_BYTES}, or JSON. */
    static final int MAX_PROBE_BODY = ProbeImage.MAX_BYTES;

    /** The body limit of the route at {@code path}, for the 413's message. */
    static int bodyLimit(String path) {
        return path != null && path.startsWith("/api/runs/") && path.endsWith("/probe") ? MAX_PROBE_BODY : MAX_BODY;
    }

    private final RunBusClient runs;
    private final ProbesApi probes;
    private final SweepsApi sweeps;

    RunsApi(RunBusClient runs) {
        this.runs = runs;
        this.probes = new ProbesApi(runs);
        this.sweeps = new SweepsApi(runs);
    }

    Router router(Vertx vertx) {
        Router api = Router.router(vertx);
        api.route().handler(this::noStore);
        // a probe may carry a picture: its own, larger limit, installed first (the next body handler then passes)
        api.post("/runs/:id/probe").handler(BodyHandler.create(false).setBodyLimit(MAX_PROBE_BODY));
        api.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
        api.route("/runs/:id").handler(this::checkRunId);
        api.route("/runs/:id/*").handler(this::checkRunId);

        api.post("/runs").handler(this::createRun);
        api.get("/runs").handler(this::listRuns);
        api.get("/runs/:id").handler(this::getRun);
        api.delete("/runs/:id").handler(this::deleteRun);
        api.get("/runs/:id/config").handler(this::getConfig);
        api.get("/runs/:id/metrics").handler(this::getMetrics);
        api.post("/runs/:id/cancel").handler(this::cancelRun);
        api.post("/runs/:id/resume").handler(this::resumeRun);
        api.get("/runs/:id/heatmaps/:epoch").handler(this::getHeatmap);
        api.get("/runs/:id/weights").handler(this::getWeights);
        api.post("/runs/:id/probe").handler(probes::probe);
        api.get("/runs/:id/test-images").handler(probes::testImages);
        api.post("/config/check").handler(this::checkConfig);
        api.get("/devices").handler(this::getDevices);
        api.get("/datasets").handler(this::getDatasets);
        api.get("/nodes").handler(this::getNodes);
        api.post("/nodes/:node/drain").handler(this::drainNode);
        sweeps.mount(api);
        return api;
    }

    private void noStore(RoutingContext rc) {
        rc.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        rc.next();
    }

    /** Ids that are not of the run-id form never reach the training side: 404 at once. */
    private void checkRunId(RoutingContext rc) {
        String id = rc.pathParam("id");
        if (RunId.isValid(id)) {
            rc.next();
            return;
        }
        Replies.error(rc, ApiError.notFound("there is no run '" + Replies.shorten(String.valueOf(id), 40) + "'"));
    }

    private static String id(RoutingContext rc) {
        return rc.pathParam("id");
    }

    /** 201 with {@code {"id"}} and a Location header; the training side checks the body (see StartRequest). */
    private void createRun(RoutingContext rc) {
        JsonObject body = JsonBody.read(rc);
        if (body == null) {
            return;
        }
        runs.start(body)
                .onSuccess(reply -> rc.response()
                        .setStatusCode(201)
                        .putHeader(HttpHeaders.LOCATION, "/api/runs/" + reply.getString("id"))
                        .putHeader(HttpHeaders.CONTENT_TYPE, Replies.JSON)
                        .end(new JsonObject().put("id", reply.getString("id")).encode()))
                .onFailure(e -> Replies.failure(rc, e));
    }

    /** A start request's body checked without starting: the errors and the size estimate. */
    private void checkConfig(RoutingContext rc) {
        JsonObject body = JsonBody.read(rc);
        if (body != null) {
            Replies.json(rc, runs.check(body));
        }
    }

    private void listRuns(RoutingContext rc) {
        Replies.json(rc, runs.list());
    }

    private void getRun(RoutingContext rc) {
        Replies.json(rc, runs.get(id(rc)));
    }

    private void cancelRun(RoutingContext rc) {
        Replies.json(rc, runs.cancel(id(rc)));
    }

    private void resumeRun(RoutingContext rc) {
        Replies.json(rc, runs.resume(id(rc)));
    }

    private void getDevices(RoutingContext rc) {
        Replies.json(rc, runs.devices());
    }

    /** The nodes of the cluster (the dashboard alone without one), as the dashboard's node verticle knows them. */
    private void getNodes(RoutingContext rc) {
        Replies.json(rc, runs.nodes());
    }

    /**
     * {@code {"drain": true | false}} (default true): a worker node finishes its runs and takes no more, or takes
     * runs again; answers its announcement. 404 for a node that is not a worker of this cluster.
     */
    private void drainNode(RoutingContext rc) {
        String node = rc.pathParam("node");
        JsonObject body = rc.body().buffer() == null || rc.body().buffer().length() == 0 ? new JsonObject()
                : JsonBody.read(rc);
        if (body == null) {
            return;
        }
        if (!(body.getValue("drain", true) instanceof Boolean drain)) {
            Replies.error(rc, ApiError.field("drain", "must be true or false"));
            return;
        }
        if (!node.matches("[A-Za-z0-9-]{1,64}")) {
            Replies.error(rc, ApiError.notFound("there is no worker node '" + Replies.shorten(node, 40) + "'"));
            return;
        }
        runs.drain(node, drain)
                .onSuccess(rc::json)
                .onFailure(e -> Replies.error(rc, e instanceof io.vertx.core.eventbus.ReplyException r
                        && r.failureType() == io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS
                        ? ApiError.notFound("there is no worker node '" + node + "' in this cluster")
                        : ApiError.from(e)));
    }

    private void getDatasets(RoutingContext rc) {
        Replies.json(rc, runs.datasets());
    }

    private void getConfig(RoutingContext rc) {
        Replies.json(rc, runs.get(id(rc)).map(run -> run.getJsonObject("config", new JsonObject())));
    }

    private void deleteRun(RoutingContext rc) {
        runs.delete(id(rc))
                .onSuccess(reply -> rc.response().setStatusCode(204).end())
                .onFailure(e -> Replies.failure(rc, e));
    }

    /** JSON {@code {"id", "epochs"}}, or CSV with {@code ?format=csv}. */
    private void getMetrics(RoutingContext rc) {
        String id = id(rc);
        String format = rc.queryParams().get("format");
        if (format == null || "json".equalsIgnoreCase(format)) {
            Replies.json(rc, runs.metrics(id));
        } else if ("csv".equalsIgnoreCase(format)) {
            runs.metricsCsv(id)
                    .onSuccess(csv -> rc.response()
                            .putHeader(HttpHeaders.CONTENT_TYPE, "text/csv; charset=utf-8")
                            .putHeader(HttpHeaders.CONTENT_DISPOSITION,
                                    "attachment; filename=\"neuralgrid-" + id + "-metrics.csv\"")
                            .end(csv))
                    .onFailure(e -> Replies.failure(rc, e));
        } else {
            Replies.error(rc, ApiError.field("format", "must be json or csv, got '" + Replies.shorten(format, 20)
                    + "'"));
        }
    }

    /**
     * One epoch's maps of a kind ({@code ?kind=}, mean by default): the {@link HeatmapFrame} as bytes, or with
     * {@code ?format=npy} or {@code ?format=csv} the numbers behind its picture (see {@link HeatmapExport}),
     * converted off the event loop, since a large grid's CSV takes a while to write.
     */
    private void getHeatmap(RoutingContext rc) {
        String epoch = rc.pathParam("epoch");
        if (!epoch.matches("\\d{1,9}")) {
            Replies.error(rc, ApiError.notFound("there is no epoch '" + Replies.shorten(epoch, 20) + "'"));
            return;
        }
        MapKind kind;
        try {
            kind = MapKind.of(Replies.shorten(query(rc, "kind", MapKind.MEAN.id()), 20));
        } catch (IllegalArgumentException unknown) {
            Replies.error(rc, ApiError.field("kind", unknown.getMessage()));
            return;
        }
        String format = rc.queryParams().get("format");
        if (format != null && !format.equals("npy") && !format.equals("csv")) {
            Replies.error(rc, ApiError.field("format", "must be npy or csv (without it: the binary frame), got '"
                    + Replies.shorten(format, 20) + "'"));
            return;
        }
        Future<Buffer> frame = runs.heatmap(id(rc), Integer.parseInt(epoch), kind.id());
        if (format == null) {
            frame.onSuccess(bytes -> rc.response().putHeader(HttpHeaders.CONTENT_TYPE, BYTES).end(bytes))
                    .onFailure(e -> Replies.failure(rc, e));
            return;
        }
        String file = "neuralgrid-" + id(rc) + "-" + kind.id() + "-epoch-" + Integer.parseInt(epoch) + "." + format;
        frame.compose(bytes -> rc.vertx().executeBlocking(() -> export(bytes, format), false))
                .onSuccess(numbers -> rc.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, format.equals("csv") ? "text/csv; charset=utf-8" : BYTES)
                        .putHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file + "\"")
                        .end(numbers))
                .onFailure(e -> Replies.failure(rc, e));
    }

    /** A frame's numbers as .npy or CSV. */
    private static Buffer export(Buffer frame, String format) {
        HeatmapFrame f = HeatmapFrame.decode(frame.getBytes());
        return format.equals("csv") ? Buffer.buffer(HeatmapExport.csv(f))
                : Buffer.buffer(HeatmapExport.npy(f));
    }

    private static String query(RoutingContext rc, String name, String absent) {
        String value = rc.queryParams().get(name);
        return value == null ? absent : value;
    }

    /**
     * The final weights ({@code ?which=final}, the default) or those of the best epoch ({@code ?which=best}), as a
     * download named after the run, its grid and which they are.
     */
    private void getWeights(RoutingContext rc) {
        String id = id(rc);
        String which = rc.queryParams().get("which") == null ? "final" : rc.queryParams().get("which");
        if (!which.equals("final") && !which.equals("best")) {
            Replies.error(rc, ApiError.field("which", "must be final or best, got '" + Replies.shorten(which, 20)
                    + "'"));
            return;
        }
        runs.get(id).compose(run -> runs.weights(id, which).map(bytes -> rc.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, BYTES)
                        .putHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\""
                                + weightsFileName(id, run.getString("grid"), which) + "\"")
                        .end(bytes)))
                .onFailure(e -> Replies.failure(rc, e));
    }

    static String weightsFileName(String id, String grid, String which) {
        // "HxW" (2D) or "28x28xL" (3D)
        String g = grid != null && grid.matches("\\d{1,5}x\\d{1,5}(x\\d{1,5})?") ? "-" + grid : "";
        return "neuralgrid-" + id + g + "-" + which + ".safetensors";
    }
}
