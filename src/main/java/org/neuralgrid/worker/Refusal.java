package org.neuralgrid.worker;

import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.function.Function;
import org.neuralgrid.bus.RunBus;
import org.neuralgrid.bus.RunId;

/** A request that cannot be served, with its {@link RunBus} failure code (400, 404, 409 or 500). */
final class Refusal extends RuntimeException {
    private final int code;

    Refusal(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    int code() {
        return code;
    }

    /**
     * What a request's {@code "id"} names ({@code what}: "run", "sweep"): refused with 400 without an id, 404 for one
     * that is not of the id form or not stored.
     */
    static <T> T unlessMissing(JsonObject body, String what, Function<String, Optional<T>> find) {
        Object id = body.getValue("id");
        if (!(id instanceof String text)) {
            throw new Refusal(RunBus.BAD_REQUEST, "\"id\" (a " + what + " id) is required");
        }
        Optional<T> found = RunId.isValid(text) ? find.apply(text) : Optional.empty();
        return found.orElseThrow(() -> new Refusal(RunBus.NOT_FOUND, "there is no " + what + " '" + text + "'"));
    }
}
