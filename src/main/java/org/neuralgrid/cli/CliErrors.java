package org.neuralgrid.cli;

import java.io.UncheckedIOException;
import java.util.function.Supplier;
import org.neuralgrid.engine.BackendUnavailableException;
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

    /** The value of an option, parsed; a refusal names the option ("--backend must be ..."). */
    static <T> T option(String name, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " " + e.getMessage(), e);
        }
    }

    static int exitCode(Throwable e) {
        return e instanceof InvalidConfigException || e instanceof BackendUnavailableException
                || e instanceof IllegalArgumentException ? 2 : 1;
    }
}
