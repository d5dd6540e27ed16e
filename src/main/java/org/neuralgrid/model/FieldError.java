package org.neuralgrid.model;

/** One invalid field of a run configuration: the field's name as in JSON and the form, and why. */
public record FieldError(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
