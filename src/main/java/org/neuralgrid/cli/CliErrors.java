package org.neuralgrid.cli;

import java.io.UncheckedIOException;
import org.neuralgrid.engine.Backends;
import org.neuralgrid.model.InvalidConfigException;

/** Turns what went wrong into one line for the user and an exit code: 2 for bad input, 1 for the rest. */
final class CliErrors {
    private CliErrors() {
    }

    static String describe(Throwable e) {
        if (e instanceof UncheckedIOException u && u.getCause() != null) {
            return u.getMessage() + ": " + u.getCause().getMessage();
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    static int exitCode(Throwable e) {
        return e instanceof InvalidConfigException || e instanceof Backends.BackendUnavailableException
                || e instanceof IllegalArgumentException ? 2 : 1;
    }
}
