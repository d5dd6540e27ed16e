package org.neuralgrid.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One field of the run configuration, described once: its JSON name, type, default, limits, unit, help text,
 * when it applies and where the form shows it. {@link RunConfig#FIELDS} lists them; the JSON mapping, the
 * validation, the command line's options, the API table in README.md and the dashboard's form and configuration
 * tables are all made from that list.
 */
public final class ConfigField {

    /** How a value is written and read. */
    public enum Kind {
        /** A whole number (the record component says int or long). */
        INTEGER,
        /** A floating-point number. */
        NUMBER,
        /** One of the constants of a {@link Choice} enum. */
        CHOICE,
        /** A {@link BackendSpec}: the form offers the devices found. */
        BACKEND
    }

    /** The form's fieldsets, in order. */
    public enum Section {
        GRID("Grid"), OPTIMISATION("Optimisation (Adam)"), DATA("Data"), COMPUTE("Compute");

        private final String title;

        Section(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    /** A field applies (or a help text holds) while another field has this value (its JSON text). */
    public record Condition(String field, String value) {
    }

    /** A help text for while a condition holds, instead of the field's own. */
    public record ConditionalHelp(Condition when, String help) {
    }

    private final String name;
    private final String label;
    private final Kind kind;
    private final Section section;
    private final Object defaultValue;
    private final double min;
    private final double max;
    private final boolean minOpen;
    private final boolean odd;
    private final boolean logScale;
    private final String unit;
    private final String help;
    private final String zeroMeans;
    private final List<Condition> appliesWhen;
    private final List<ConditionalHelp> helpWhen;
    private final Class<? extends Choice> choices;

    private ConfigField(Builder b) {
        this.name = b.name;
        this.label = b.label;
        this.kind = b.kind;
        this.section = b.section;
        this.defaultValue = b.defaultValue;
        this.min = b.min;
        this.max = b.max;
        this.minOpen = b.minOpen;
        this.odd = b.odd;
        this.logScale = b.logScale;
        this.unit = b.unit;
        this.help = b.help;
        this.zeroMeans = b.zeroMeans;
        this.appliesWhen = List.copyOf(b.appliesWhen);
        this.helpWhen = List.copyOf(b.helpWhen);
        this.choices = b.choices;
    }

    /** A whole number in [min, max]. */
    public static Builder integer(String name, String label, long defaultValue, long min, long max) {
        Builder b = new Builder(name, label, Kind.INTEGER, defaultValue);
        b.min = min;
        b.max = max;
        return b;
    }

    /** A whole number of any size (a seed). */
    public static Builder anyInteger(String name, String label, long defaultValue) {
        return new Builder(name, label, Kind.INTEGER, defaultValue);
    }

    /** A number in [min, max], or in (min, max] after {@link Builder#aboveMin()}. */
    public static Builder number(String name, String label, double defaultValue, double min, double max) {
        Builder b = new Builder(name, label, Kind.NUMBER, defaultValue);
        b.min = min;
        b.max = max;
        return b;
    }

    /** One of an enum's constants. */
    public static <E extends Enum<E> & Choice> Builder choice(String name, String label, E defaultValue) {
        Builder b = new Builder(name, label, Kind.CHOICE, defaultValue);
        b.choices = defaultValue.getDeclaringClass();
        return b;
    }

    public static Builder backend(String name, String label, BackendSpec defaultValue) {
        return new Builder(name, label, Kind.BACKEND, defaultValue);
    }

    public String name() {
        return name;
    }

    public String label() {
        return label;
    }

    public Kind kind() {
        return kind;
    }

    public Section section() {
        return section;
    }

    /** The default as the record holds it (Long for any whole number, Double, the enum constant, BackendSpec). */
    public Object defaultValue() {
        return defaultValue;
    }

    public String help() {
        return help;
    }

    public String unit() {
        return unit;
    }

    /** What 0 stands for ("all cores"), or null. */
    public String zeroMeans() {
        return zeroMeans;
    }

    public List<Condition> appliesWhen() {
        return appliesWhen;
    }

    /** Only odd whole numbers are allowed (a kernel). */
    public boolean odd() {
        return odd;
    }

    /**
     * Useful values span decades (a learning rate): a range of them is explored evenly in the logarithm, as a
     * random sweep draws it.
     */
    public boolean logScale() {
        return logScale;
    }

    /** The command-line option: lrStep is --lr-step. */
    public String option() {
        return "--" + name.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    /** "1–4096", "odd, 3–63", "(0, 10]", "": what the limits allow, in words. */
    public String limitsText() {
        if (Double.isNaN(min)) {
            return "";
        }
        return switch (kind) {
            case INTEGER -> (odd ? "odd, " : "") + whole(min) + "–" + whole(max);
            case NUMBER -> (minOpen ? "(" : "[") + number(min) + ", " + number(max) + "]";
            default -> "";
        };
    }

    /**
     * A JSON value read as this field's type: a Long, a Double, the Choice constant or a BackendSpec; null after
     * adding an error. Numbers must be JSON numbers, unless {@code fromText}: the command line gives only text.
     */
    public Object read(JsonNode v, boolean fromText, List<FieldError> errors) {
        return switch (kind) {
            case INTEGER -> readWhole(v, fromText, errors);
            case NUMBER -> readNumber(v, fromText, errors);
            case CHOICE -> readChoice(v, errors);
            case BACKEND -> readBackend(v, errors);
        };
    }

    /** A value as JSON: numbers as numbers, choices and backends as their text. */
    public JsonNode write(Object value) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        if (value instanceof Choice c) {
            return json.textNode(c.id());
        }
        if (value instanceof Double d) {
            return json.numberNode(d);
        }
        if (value instanceof Number n) {
            return json.numberNode(n.longValue());
        }
        return json.textNode(String.valueOf(value));
    }

    /** The value as text: what a condition compares and a command line would give. */
    public String text(Object value) {
        if (value instanceof Double d && Double.isFinite(d)) {
            return new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
        }
        return value instanceof Choice c ? c.id() : String.valueOf(value);
    }

    /** Adds an error when a value breaks this field's limits. */
    void check(Object value, List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError(name, "is required"));
        } else if (kind == Kind.INTEGER && !Double.isNaN(min)) {
            checkWhole(((Number) value).longValue(), errors);
        } else if (kind == Kind.NUMBER) {
            double v = ((Number) value).doubleValue();
            boolean aboveMin = minOpen ? v > min : v >= min;
            if (!(aboveMin && v <= max)) {
                errors.add(new FieldError(name, "must be a number in " + limitsText() + ", got " + v));
            }
        }
    }

    private void checkWhole(long v, List<FieldError> errors) {
        if (odd && (v < min || v % 2 == 0)) {
            errors.add(new FieldError(name, "must be odd and at least " + whole(min) + ", got " + v));
        } else if (odd && v > max) {
            errors.add(new FieldError(name, "must be at most " + whole(max) + ", got " + v));
        } else if (v < min || v > max) {
            errors.add(new FieldError(name, "must be between " + whole(min) + " and " + whole(max) + ", got " + v));
        }
    }

    /** The descriptor as the dashboard's form reads it. */
    public ObjectNode describe() {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("name", name).put("label", label).put("kind", kind.name().toLowerCase(Locale.ROOT))
                .put("section", section.name().toLowerCase(Locale.ROOT)).put("sectionTitle", section.title())
                .put("option", option()).put("help", help).put("unit", unit).put("limits", limitsText());
        d.set("default", write(defaultValue));
        if (!Double.isNaN(min)) {
            d.set("min", write(kind == Kind.INTEGER ? (Object) (long) min : (Object) min));
            d.set("max", write(kind == Kind.INTEGER ? (Object) (long) max : (Object) max));
            d.put("minOpen", minOpen).put("odd", odd);
        }
        if (logScale) {
            d.put("logScale", true);
        }
        if (zeroMeans != null) {
            d.put("zeroMeans", zeroMeans);
        }
        appliesWhen.forEach(c -> d.withArray("when").addObject().put("field", c.field()).put("value", c.value()));
        helpWhen.forEach(h -> d.withArray("helpWhen").addObject().put("field", h.when().field())
                .put("value", h.when().value()).put("help", h.help()));
        if (choices != null) {
            for (Choice c : choices.getEnumConstants()) {
                d.withArray("choices").addObject().put("id", c.id()).put("label", c.label()).put("help", c.help());
            }
        }
        return d;
    }

    private Long readWhole(JsonNode v, boolean fromText, List<FieldError> errors) {
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.asLong();
        }
        if (v.isTextual() && fromText) {
            try {
                return Long.parseLong(v.asText().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        errors.add(new FieldError(name, "must be a whole number, got " + v));
        return null;
    }

    private Double readNumber(JsonNode v, boolean fromText, List<FieldError> errors) {
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isTextual() && fromText) {
            try {
                return Double.parseDouble(v.asText().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        errors.add(new FieldError(name, "must be a number, got " + v));
        return null;
    }

    private Object readChoice(JsonNode v, List<FieldError> errors) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Object c = v.isTextual() ? Choice.parse((Class) choices, v.asText()) : null;
        if (c == null) {
            errors.add(new FieldError(name, "must be one of " + Choice.ids(choices) + ", got " + v));
        }
        return c;
    }

    private BackendSpec readBackend(JsonNode v, List<FieldError> errors) {
        try {
            if (v.isTextual()) {
                return BackendSpec.parse(v.asText());
            }
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(name, e.getMessage()));
            return null;
        }
        errors.add(new FieldError(name, "must be " + BackendSpec.FORMS + ", got " + v));
        return null;
    }

    private static String whole(double v) {
        return String.valueOf((long) v);
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? whole(v) : String.valueOf(v);
    }

    @Override
    public String toString() {
        return name;
    }

    /** Collects a field's description; {@link RunConfig#FIELDS} builds every field through one of these. */
    public static final class Builder {
        private final String name;
        private final String label;
        private final Kind kind;
        private final Object defaultValue;
        private Section section = Section.GRID;
        private double min = Double.NaN;
        private double max = Double.NaN;
        private boolean minOpen;
        private boolean odd;
        private boolean logScale;
        private String unit = "";
        private String help = "";
        private String zeroMeans;
        private final List<Condition> appliesWhen = new ArrayList<>();
        private final List<ConditionalHelp> helpWhen = new ArrayList<>();
        private Class<? extends Choice> choices;

        private Builder(String name, String label, Kind kind, Object defaultValue) {
            this.name = name;
            this.label = label;
            this.kind = kind;
            this.defaultValue = defaultValue instanceof Integer i ? Long.valueOf(i) : defaultValue;
        }

        public Builder in(Section s) {
            section = s;
            return this;
        }

        /** The minimum itself is not allowed: (min, max]. */
        public Builder aboveMin() {
            minOpen = true;
            return this;
        }

        public Builder odd() {
            odd = true;
            return this;
        }

        /** Useful values span decades: see {@link ConfigField#logScale()}. */
        public Builder logScale() {
            logScale = true;
            return this;
        }

        /** What the number counts: "cells", "epochs". */
        public Builder unit(String u) {
            unit = u;
            return this;
        }

        public Builder help(String h) {
            help = h;
            return this;
        }

        /** What 0 stands for: "all cores". */
        public Builder zeroMeans(String meaning) {
            zeroMeans = meaning;
            return this;
        }

        /** The field applies only while {@code field} has {@code value}. */
        public Builder onlyWhen(String field, String value) {
            appliesWhen.add(new Condition(field, value));
            return this;
        }

        /** Another help text while {@code field} has {@code value}. */
        public Builder helpWhen(String field, String value, String text) {
            helpWhen.add(new ConditionalHelp(new Condition(field, value), text));
            return this;
        }

        public ConfigField build() {
            return new ConfigField(this);
        }
    }
}
