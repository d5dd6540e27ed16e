package org.neuralgrid.web;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.neuralgrid.bus.RunId;

/**
 * The sweep routes under /api (see the package documentation): each asks the training side over the bus
 * ({@link org.neuralgrid.bus.RunBus}'s SWEEP_* requests) and answers with what it replies. The sweep id of every
 * {@code /sweeps/:id} route is checked once, before any handler.
 */
final class SweepsApi {
    private final RunBusClient runs;

    SweepsApi(RunBusClient runs) {
        this.runs = runs;
    }

    /** Adds the sweep routes to the API's router (after its body handler). */
    void mount(Router api) {
        api.post("/sweeps/check").handler(this::checkSweep);
        api.route("/sweeps/:id").handler(this::checkSweepId);
        api.route("/sweeps/:id/*").handler(this::checkSweepId);
        api.post("/sweeps").handler(this::createSweep);
        api.get("/sweeps").handler(this::listSweeps);
        api.get("/sweeps/:id").handler(this::getSweep);
        api.delete("/sweeps/:id").handler(this::deleteSweep);
        api.post("/sweeps/:id/cancel").handler(this::cancelSweep);
        api.post("/sweeps/:id/resume").handler(this::resumeSweep);
        api.get("/sweeps/:id/export").handler(this::exportSweep);
    }

    private void checkSweepId(RoutingContext rc) {
        String id = rc.pathParam("id");
        if (RunId.isValid(id)) {
            rc.next();
            return;
        }
        Replies.error(rc, ApiError.notFound("there is no sweep '" + Replies.shorten(String.valueOf(id), 40) + "'"));
    }

    /** 201 with {@code {"id", "runs"}} and a Location header; the training side judges the body. */
    private void createSweep(RoutingContext rc) {
        JsonObject body = JsonBody.read(rc);
        if (body == null) {
            return;
        }
        runs.startSweep(body)
                .onSuccess(reply -> rc.response()
                        .setStatusCode(201)
                        .putHeader(HttpHeaders.LOCATION, "/api/sweeps/" + reply.getString("id"))
                        .putHeader(HttpHeaders.CONTENT_TYPE, Replies.JSON)
                        .end(reply.encode()))
                .onFailure(e -> Replies.failure(rc, e));
    }

    private void checkSweep(RoutingContext rc) {
        JsonObject body = JsonBody.read(rc);
        if (body != null) {
            Replies.json(rc, runs.checkSweep(body));
        }
    }

    private void listSweeps(RoutingContext rc) {
        Replies.json(rc, runs.sweeps());
    }

    private void getSweep(RoutingContext rc) {
        Replies.json(rc, runs.sweep(rc.pathParam("id")));
    }

    private void deleteSweep(RoutingContext rc) {
        runs.deleteSweep(rc.pathParam("id"))
                .onSuccess(reply -> rc.response().setStatusCode(204).end())
                .onFailure(e -> Replies.failure(rc, e));
    }

    private void cancelSweep(RoutingContext rc) {
        Replies.json(rc, runs.cancelSweep(rc.pathParam("id")));
    }

    private void resumeSweep(RoutingContext rc) {
        Replies.json(rc, runs.resumeSweep(rc.pathParam("id")));
    }

    /** The whole sweep as one download: {@code ?format=json} (the default) or {@code csv}. */
    private void exportSweep(RoutingContext rc) {
        String id = rc.pathParam("id");
        String format = rc.queryParams().get("format") == null ? "json" : rc.queryParams().get("format");
        if (!format.equals("json") && !format.equals("csv")) {
            Replies.error(rc, ApiError.field("format", "must be json or csv, got '" + Replies.shorten(format, 20)
                    + "'"));
            return;
        }
        runs.exportSweep(id, format)
                .onSuccess(text -> rc.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, format.equals("csv") ? "text/csv; charset=utf-8"
                                : Replies.JSON)
                        .putHeader(HttpHeaders.CONTENT_DISPOSITION,
                                "attachment; filename=\"neuralgrid-sweep-" + id + "." + format + "\"")
                        .end(text))
                .onFailure(e -> Replies.failure(rc, e));
    }
}
