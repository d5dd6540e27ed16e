package org.neuralgrid.engine;

/** The requested backend or device cannot be used here; the message says what was found. */
public final class BackendUnavailableException extends RuntimeException {
    public BackendUnavailableException(String message) {
        super(message);
    }
}
