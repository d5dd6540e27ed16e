package org.neuralgrid.model;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which backend a run asks for: {@code auto}, {@code java}, {@code opencl} (the backend's own choice of device) or
 * {@code opencl:N} (the N-th device of that backend). Parsed once, here; everything else passes this record on.
 *
 * @param kind  the backend, or AUTO for "the best one found"
 * @param index the device of that backend, or -1 for its own choice
 */
public record BackendSpec(Kind kind, int index) {
    /** Device numbers are 0..999. */
    public static final int MAX_INDEX = 999;
    public static final BackendSpec AUTO = new BackendSpec(Kind.AUTO, -1);
    public static final BackendSpec JAVA = new BackendSpec(Kind.JAVA, -1);
    public static final BackendSpec OPENCL = new BackendSpec(Kind.OPENCL, -1);
    /** What a spec may look like, for messages and help texts. */
    public static final String FORMS = "auto, java or opencl[:N]";

    private static final Pattern SPEC = Pattern.compile("(auto|java|opencl)(?::(\\d{1,3}))?");

    /** The backends; AUTO stands for "the best one found here". */
    public enum Kind implements Choice {
        AUTO, JAVA, OPENCL;

        @Override
        public Text text() {
            return new Text(name().toLowerCase(Locale.ROOT), "", "");
        }
    }

    public BackendSpec {
        if (kind == null || index < -1 || index > MAX_INDEX || (index >= 0 && kind != Kind.OPENCL)) {
            throw new IllegalArgumentException("no backend " + kind + ":" + index);
        }
    }

    /** Parses "auto", "java", "opencl" or "opencl:N" (any case, blanks around). */
    public static BackendSpec parse(String text) {
        Matcher m = SPEC.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        Kind kind = m.matches() ? Choice.parse(Kind.class, m.group(1)) : null;
        if (kind == null || (m.group(2) != null && kind != Kind.OPENCL)) {
            throw new IllegalArgumentException("must be " + FORMS + ", got '" + text + "'");
        }
        return new BackendSpec(kind, m.group(2) == null ? -1 : Integer.parseInt(m.group(2)));
    }

    public static BackendSpec device(Kind kind, int index) {
        return new BackendSpec(kind, index);
    }

    public boolean isAuto() {
        return kind == Kind.AUTO;
    }

    public boolean namesDevice() {
        return index >= 0;
    }

    /** The text this spec is written as: "auto", "java", "opencl", "opencl:1". */
    @Override
    public String toString() {
        return index < 0 ? kind.id() : kind.id() + ":" + index;
    }
}
