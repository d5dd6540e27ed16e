package org.neuralgrid.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** A request's body read as one JSON object, as every JSON route of the API expects it. */
final class JsonBody {
    private JsonBody() {
    }

    /** The body as a JSON object, or null after a 400 on the field "body". */
    static JsonObject read(RoutingContext rc) {
        Buffer body = rc.body().buffer();
        if (body == null || body.length() == 0) {
            Replies.error(rc, ApiError.field("body", "is empty: expected a JSON object"));
            return null;
        }
        try {
            if (Json.decodeValue(body) instanceof JsonObject json) {
                return json;
            }
            Replies.error(rc, ApiError.field("body", "must be a JSON object"));
        } catch (DecodeException e) {
            Replies.error(rc, ApiError.field("body", "is not valid JSON: " + Replies.shorten(e.getMessage(), 200)));
        }
        return null;
    }
}
