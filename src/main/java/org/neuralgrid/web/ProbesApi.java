package org.neuralgrid.web;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import org.neuralgrid.io.ProbeImage;

/**
 * Probing a run's model with one image ({@code POST /api/runs/{id}/probe}) and listing its test images to pick
 * from ({@code GET /api/runs/{id}/test-images}). A probe's body is JSON (the training side's {@code PROBE}
 * request without the id: {@code {"pixels": [784] | "testIndex", "class"?, "which"?}}) or a picture (PNG, JPEG,
 * GIF or BMP as the body, with {@code ?class=} and {@code ?which=}), which is decoded here on Vert.x's worker
 * pool, never on the event loop, into what the model reads ({@link ProbeImage}).
 */
final class ProbesApi {
    private final RunBusClient runs;

    ProbesApi(RunBusClient runs) {
        this.runs = runs;
    }

    void probe(RoutingContext rc) {
        String type = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
        boolean json = type == null || type.toLowerCase(Locale.ROOT).startsWith("application/json");
        Future<JsonObject> request = json ? jsonRequest(rc) : pictureRequest(rc);
        if (request == null) {
            return;
        }
        Replies.json(rc, request.compose(r -> runs.probe(r.put("id", rc.pathParam("id")))
                .map(reply -> r.containsKey("inverted") ? reply.put("inverted", r.getBoolean("inverted"))
                        .put("source", r.getJsonObject("source")) : reply)));
    }

    /** The JSON body as the request, or null after a 400. */
    private static Future<JsonObject> jsonRequest(RoutingContext rc) {
        JsonObject body = JsonBody.read(rc);
        return body == null ? null : Future.succeededFuture(body);
    }

    /** The picture of the body decoded into pixels (a 400 saying why it cannot be), with the query's options. */
    private static Future<JsonObject> pictureRequest(RoutingContext rc) {
        Buffer body = rc.body().buffer();
        if (body == null || body.length() == 0) {
            Replies.error(rc, ApiError.field("body", "is empty: expected a picture (PNG, JPEG, GIF or BMP) or JSON"));
            return null;
        }
        JsonObject request = new JsonObject();
        String cls = rc.queryParams().get("class");
        if (cls != null) {
            if (!cls.matches("\\d")) {
                Replies.error(rc, ApiError.field("class", "must be a class number from 0 to 9, got '"
                        + Replies.shorten(cls, 20) + "'"));
                return null;
            }
            request.put("class", Integer.parseInt(cls));
        }
        String which = rc.queryParams().get("which");
        if (which != null) {
            request.put("which", which);
        }
        byte[] bytes = body.getBytes();
        return rc.vertx().<ProbeImage>executeBlocking(() -> ProbeImage.decode(bytes), false)
                .recover(e -> Future.failedFuture(ApiError.field("image", e.getMessage()).asFailure()))
                .map(image -> request.put("pixels", pixels(image.pixels())).put("inverted", image.inverted())
                        .put("source", new JsonObject().put("width", image.width()).put("height", image.height())));
    }

    private static JsonArray pixels(float[] px) {
        JsonArray a = new JsonArray();
        for (float v : px) {
            a.add(v);
        }
        return a;
    }

    /** {@code ?class=&from=&count=}: whole numbers, passed on; the training side checks their ranges. */
    void testImages(RoutingContext rc) {
        JsonObject request = new JsonObject().put("id", rc.pathParam("id"));
        for (String name : new String[] {"class", "from", "count"}) {
            String v = rc.queryParams().get(name);
            if (v == null) {
                continue;
            }
            if (!v.matches("\\d{1,9}")) {
                Replies.error(rc, ApiError.field(name, "must be a whole number, got '" + Replies.shorten(v, 20)
                        + "'"));
                return;
            }
            request.put(name, Integer.parseInt(v));
        }
        Replies.json(rc, runs.testImages(request));
    }
}
