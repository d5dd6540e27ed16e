package org.neuralgrid.model;

import java.util.List;
import java.util.stream.Collectors;

/** A run configuration (or a sweep of them) broke one or more limits; each broken field is named with its reason. */
public final class InvalidConfigException extends IllegalArgumentException {
    private final List<FieldError> errors;

    public InvalidConfigException(List<FieldError> errors) {
        this("configuration", errors);
    }

    /** {@code what} says what was refused in the message: "configuration", "sweep". */
    public InvalidConfigException(String what, List<FieldError> errors) {
        super("invalid " + what + ": " + errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
