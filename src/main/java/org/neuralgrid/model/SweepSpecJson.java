package org.neuralgrid.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sweeps as JSON: a sweep folder's sweep.json and the API's request body,
 * <pre>{"name": "kernels", "base": {config fields}, "sweep": {"kernel": [3, 5, 7], "lr": "1e-4..1e-2"},
 *  "seeds": 3, "mode": "grid" | "random", "points": N}</pre>
 * where base takes any subset of the fields over the defaults (as {@link RunConfigJson} reads a run's), a swept
 * field takes a list of values or a range "lo..hi", seeds defaults to 1, mode to grid, and points is random mode's
 * alone. Types are strict as for a run: a list's values must be JSON numbers where the field is a number. The
 * command line's values come as text ("3,5,7", "1e-4..1e-2") and are read by {@link #axesFromText}.
 */
public final class SweepSpecJson {
    private static final Set<String> KEYS = Set.of("name", "base", "sweep", "seeds", "mode", "points");
    /** Between a range's ends. */
    private static final String TO = "..";

    private SweepSpecJson() {
    }

    public static ObjectNode toTree(SweepSpec s) {
        ObjectNode n = RunConfigJson.MAPPER.createObjectNode().put("name", s.name());
        n.set("base", RunConfigJson.toTree(s.base()));
        ObjectNode sweep = n.putObject("sweep");
        for (SweepSpec.Axis a : s.axes()) {
            if (a instanceof SweepSpec.Values v) {
                ArrayNode list = sweep.putArray(a.field().name());
                v.values().forEach(x -> list.add(a.field().write(x)));
            } else {
                sweep.put(a.field().name(), a.text());
            }
        }
        n.put("seeds", s.seeds()).put("mode", s.mode().id());
        if (s.mode() == SweepSpec.Mode.RANDOM) {
            n.put("points", s.randomPoints());
        }
        return n;
    }

    /** A point as a JSON object {field: value}, values written as the run's configuration writes them. */
    public static String pointJson(SweepSpec.Point p) {
        ObjectNode n = RunConfigJson.MAPPER.createObjectNode();
        p.values().forEach((field, value) -> n.set(field, RunConfig.field(field).orElseThrow().write(value)));
        return n.toString();
    }

    public static String write(SweepSpec s) {
        try {
            return RunConfigJson.MAPPER.writeValueAsString(toTree(s));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses JSON text; malformed text or a value of the wrong type is an {@link InvalidConfigException}. */
    public static SweepSpec read(String json) {
        JsonNode tree;
        try {
            tree = RunConfigJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidConfigException("sweep", List.of(new FieldError("body", "is not valid JSON: "
                    + e.getOriginalMessage())));
        }
        return fromTree(tree);
    }

    /**
     * The sweep an object describes, not yet checked against the limits (see {@link SweepSpec#validated}); every
     * unknown key and value of the wrong type is named in one {@link InvalidConfigException}.
     */
    public static SweepSpec fromTree(JsonNode tree) {
        if (tree == null || !tree.isObject()) {
            throw new InvalidConfigException("sweep", List.of(new FieldError("body", "must be a JSON object")));
        }
        List<FieldError> errors = new ArrayList<>();
        tree.fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) {
                errors.add(new FieldError(k, "is not a sweep key; a sweep has name, base, sweep, seeds, mode and"
                        + " points"));
            }
        });
        String name = text(tree, "name", "", errors);
        RunConfig base = base(tree.get("base"), errors);
        List<SweepSpec.Axis> axes = axes(tree.get("sweep"), errors);
        int seeds = whole(tree, "seeds", 1, errors);
        SweepSpec.Mode mode = Choice.parse(SweepSpec.Mode.class, text(tree, "mode", "grid", errors));
        if (mode == null) {
            errors.add(new FieldError("mode", "must be one of " + Choice.ids(SweepSpec.Mode.class) + ", got "
                    + tree.get("mode")));
        }
        int points = whole(tree, "points", 0, errors);
        if (!errors.isEmpty()) {
            throw new InvalidConfigException("sweep", errors);
        }
        return new SweepSpec(name, base, axes, seeds, mode, points);
    }

    /**
     * The command line's swept options, by field name: "3,5,7" lists values (each read from text as the option
     * alone would be), "1e-4..1e-2" is a range; every unreadable value is named in one {@link InvalidConfigException}.
     */
    public static List<SweepSpec.Axis> axesFromText(Map<String, String> texts) {
        List<FieldError> errors = new ArrayList<>();
        List<SweepSpec.Axis> axes = new ArrayList<>();
        texts.forEach((name, text) -> {
            ConfigField field = field(name, errors);
            if (field != null) {
                ArrayNode list = RunConfigJson.MAPPER.createArrayNode();
                if (!text.contains(TO)) {
                    for (String v : text.split(",", -1)) {
                        list.add(TextNode.valueOf(v));
                    }
                }
                SweepSpec.Axis a = axis(field, text.contains(TO) ? TextNode.valueOf(text) : list, true, errors);
                if (a != null) {
                    axes.add(a);
                }
            }
        });
        if (!errors.isEmpty()) {
            throw new InvalidConfigException("sweep", errors);
        }
        return axes;
    }

    /** Whether an option's text sweeps its field: a list "3,5,7" or a range "lo..hi" rather than one value. */
    public static boolean isSwept(String text) {
        return text.contains(",") || text.contains(TO);
    }

    private static RunConfig base(JsonNode node, List<FieldError> errors) {
        if (node == null) {
            return RunConfig.defaults();
        }
        try {
            return RunConfigJson.fromTree(node);
        } catch (InvalidConfigException e) {
            e.errors().forEach(x -> errors.add(new FieldError("base." + x.field(), x.message())));
            return RunConfig.defaults();
        }
    }

    private static List<SweepSpec.Axis> axes(JsonNode sweep, List<FieldError> errors) {
        List<SweepSpec.Axis> axes = new ArrayList<>();
        if (sweep == null) {
            return axes;
        }
        if (!sweep.isObject()) {
            errors.add(new FieldError("sweep", "must be an object of field: [values] or \"lo..hi\""));
            return axes;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = sweep.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            ConfigField field = field(f.getKey(), errors);
            SweepSpec.Axis a = field == null ? null : axis(field, f.getValue(), false, errors);
            if (a != null) {
                axes.add(a);
            }
        }
        return axes;
    }

    private static ConfigField field(String name, List<FieldError> errors) {
        ConfigField field = RunConfig.field(name).orElse(null);
        if (field == null) {
            errors.add(new FieldError(name, "is not a configuration field"));
        }
        return field;
    }

    /** A list's values read by the field (strictly unless {@code fromText}), or a range's ends read from text. */
    private static SweepSpec.Axis axis(ConfigField field, JsonNode node, boolean fromText, List<FieldError> errors) {
        int before = errors.size();
        if (node.isArray()) {
            List<Object> values = new ArrayList<>();
            for (JsonNode v : node) {
                Object value = v.isValueNode() && !v.isNull() ? field.read(v, fromText, errors) : null;
                if (value == null && errors.size() == before) {
                    errors.add(new FieldError(field.name(), "must list numbers or strings, got " + v));
                }
                values.add(value);
            }
            return errors.size() == before ? new SweepSpec.Values(field, values) : null;
        }
        String[] ends = node.isTextual() ? node.asText().split("\\.\\.", -1) : new String[0];
        if (ends.length != 2) {
            errors.add(new FieldError(field.name(), "must be a list of values or a range \"lo..hi\", got " + node));
            return null;
        }
        Object lo = field.read(TextNode.valueOf(ends[0]), true, errors);
        Object hi = field.read(TextNode.valueOf(ends[1]), true, errors);
        if (errors.size() > before) {
            return null;
        }
        if (!(lo instanceof Number l) || !(hi instanceof Number h)) {
            errors.add(new FieldError(field.name(), "takes a list of values, not a range (" + node.asText() + ")"));
            return null;
        }
        return new SweepSpec.Range(field, l, h);
    }

    private static String text(JsonNode tree, String key, String absent, List<FieldError> errors) {
        JsonNode v = tree.get(key);
        if (v == null) {
            return absent;
        }
        if (!v.isTextual()) {
            errors.add(new FieldError(key, "must be a string, got " + v));
            return absent;
        }
        return v.asText();
    }

    private static int whole(JsonNode tree, String key, int absent, List<FieldError> errors) {
        JsonNode v = tree.get(key);
        if (v == null) {
            return absent;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            errors.add(new FieldError(key, "must be a whole number, got " + v));
            return absent;
        }
        return v.asInt();
    }
}
