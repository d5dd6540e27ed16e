package org.neuralgrid.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A value of a fixed set that a run configuration field may take (an activation, a grid type, a dataset): its id
 * as written in JSON, on the command line and in the form, and what the form shows for it.
 */
public interface Choice {

    /**
     * The words of a value.
     *
     * @param id    the id in JSON, on the command line and in the form: "sin", "3d", "fashion-mnist"
     * @param label what the form and the configuration tables show beside the id; "" for nothing
     * @param help  a help text for the field while this value is chosen; "" for the field's own
     */
    record Text(String id, String label, String help) {
    }

    Text text();

    default String id() {
        return text().id();
    }

    default String label() {
        return text().label();
    }

    default String help() {
        return text().help();
    }

    /** The constant whose id is {@code text} (any case, blanks around), or null. */
    static <E extends Enum<E> & Choice> E parse(Class<E> type, String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.id().equals(t)) {
                return e;
            }
        }
        return null;
    }

    /** The constant whose id is {@code text}; an IllegalArgumentException naming the ids when there is none. */
    static <E extends Enum<E> & Choice> E require(Class<E> type, String text) {
        E e = parse(type, text);
        if (e == null) {
            throw new IllegalArgumentException("must be one of " + ids(type) + ", got '" + text + "'");
        }
        return e;
    }

    /** "sin, tanh, relu". */
    static String ids(Class<? extends Choice> type) {
        return Arrays.stream(type.getEnumConstants()).map(Choice::id).collect(Collectors.joining(", "));
    }
}
