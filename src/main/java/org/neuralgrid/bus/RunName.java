package org.neuralgrid.bus;

/**
 * The rule for a run's name, used by the API, the form (its maxlength) and the store: a string of at most
 * {@value #MAX_LENGTH} characters without control characters; blanks around it are dropped, and a blank name
 * means "make one up from the configuration".
 */
public final class RunName {
    public static final int MAX_LENGTH = 200;

    private RunName() {
    }

    /** Null when {@code name} (any JSON value) is an acceptable name, else what is wrong with it. */
    public static String problem(Object name) {
        if (!(name instanceof String text)) {
            return "must be a string";
        }
        String s = text.strip();
        if (s.codePointCount(0, s.length()) > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        if (s.codePoints().anyMatch(Character::isISOControl)) {
            return "must not contain control characters";
        }
        return null;
    }

    /** The name as kept: stripped; "" for null or blank. Throws on a name {@link #problem} refuses. */
    public static String clean(String name) {
        if (name == null) {
            return "";
        }
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("a run name " + problem);
        }
        return name.strip();
    }
}
