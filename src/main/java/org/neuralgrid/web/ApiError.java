package org.neuralgrid.web;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.neuralgrid.bus.RunBus;

/**
 * An HTTP error answer: a status and a JSON body, either {@code {"error": "..."}} or, for bad input,
 * {@code {"errors": [{"field", "message"}, ...]}}.
 *
 * <p>Failures of the event bus map as follows: the training side's codes 400, 404 and 409 pass through, 500 and
 * any other code become 500; no answer in time, or nobody listening, become 503.
 */
record ApiError(int status, JsonObject body) {

    static ApiError of(int status, String message) {
        return new ApiError(status, new JsonObject().put("error", message));
    }

    static ApiError field(String field, String message) {
        return new ApiError(400, new JsonObject().put("errors",
                new JsonArray().add(new JsonObject().put("field", field).put("message", message))));
    }

    static ApiError notFound(String what) {
        return of(404, what);
    }

    /** This answer as the failure of a handler's future: {@link #from} gives it back. */
    RuntimeException asFailure() {
        return new Failure(this);
    }

    private static final class Failure extends RuntimeException {
        private final ApiError error;

        Failure(ApiError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }

    /** The answer for a failed bus request (or any other failure of a handler's future). */
    static ApiError from(Throwable failure) {
        if (failure instanceof ReplyException r) {
            return fromReply(r);
        }
        if (failure instanceof Failure f) {
            return f.error;
        }
        return of(500, "internal error: " + messageOf(failure));
    }

    /** A text for an error page. */
    String message() {
        if (body.containsKey("error")) {
            return body.getString("error");
        }
        JsonArray errors = body.getJsonArray("errors", new JsonArray());
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < errors.size(); i++) {
            JsonObject e = errors.getJsonObject(i);
            text.append(i == 0 ? "" : "; ").append(e.getString("field")).append(' ').append(e.getString("message"));
        }
        return text.toString();
    }

    private static ApiError fromReply(ReplyException r) {
        ReplyFailure type = r.failureType();
        if (type == ReplyFailure.TIMEOUT) {
            return of(503, "the training side did not answer in time; try again");
        }
        if (type == ReplyFailure.NO_HANDLERS) {
            return of(503, "the training side is not running");
        }
        if (type != ReplyFailure.RECIPIENT_FAILURE) {
            return of(503, "the training side could not be reached: " + messageOf(r));
        }
        String message = messageOf(r);
        return switch (r.failureCode()) {
            case RunBus.BAD_REQUEST -> badRequest(message);
            case RunBus.NOT_FOUND -> of(404, message);
            case RunBus.CONFLICT -> of(409, message);
            default -> of(500, message);
        };
    }

    /** A 400's message is {@code {"errors": [...]}} for configurations and plain text otherwise. */
    private static ApiError badRequest(String message) {
        if (message.startsWith("{")) {
            try {
                JsonObject json = new JsonObject(message);
                if (json.getValue("errors") instanceof JsonArray errors && !errors.isEmpty()) {
                    return new ApiError(400, new JsonObject().put("errors", errors));
                }
            } catch (DecodeException | ClassCastException e) {
                // not the structured form: the text itself is the message
            }
        }
        return of(400, message);
    }

    private static String messageOf(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
