package org.neuralgrid.store;

/** The run store could not be read or written; the message names the file. */
public final class RunStoreException extends RuntimeException {
    public RunStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
