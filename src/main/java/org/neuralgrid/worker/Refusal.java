package org.neuralgrid.worker;

import org.neuralgrid.bus.RunBus;

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
}
