package org.neuralgrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** How failures of the event bus become HTTP answers. */
class ApiErrorTest {

    private static ApiError reply(int code, String message) {
        return ApiError.from(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, message));
    }

    @Test
    void theTrainingSidesCodesPassThroughWithTheirMessage() {
        assertEquals(new ApiError(404, new JsonObject().put("error", "no run")), reply(404, "no run"));
        assertEquals(409, reply(409, "busy").status());
        assertEquals(400, reply(400, "\"epoch\" must be a whole number").status());
        assertEquals("\"epoch\" must be a whole number", reply(400, "\"epoch\" must be a whole number").message());
        assertEquals(500, reply(500, "disk full").status());
        assertEquals(500, reply(418, "odd").status());
    }

    @Test
    void aConfigurationsFieldErrorsBecomeTheBody() {
        JsonArray errors = new JsonArray().add(new JsonObject().put("field", "kernel").put("message", "must be odd"));
        ApiError e = reply(400, new JsonObject().put("errors", errors).encode());
        assertEquals(400, e.status());
        assertEquals(new JsonObject().put("errors", errors), e.body());
        assertEquals("kernel must be odd", e.message());
    }

    @Test
    void noAnswerInTimeOrNobodyListeningIs503() {
        assertEquals(503, ApiError.from(new ReplyException(ReplyFailure.TIMEOUT, "timed out")).status());
        assertEquals(503, ApiError.from(new ReplyException(ReplyFailure.NO_HANDLERS, "none")).status());
        assertEquals(500, ApiError.from(new IllegalStateException("bug")).status());
    }
}
