package org.neuralgrid.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Run configurations as JSON, made from the descriptors of {@link RunConfig#FIELDS}: the weights' companion file,
 * the API's request body, the command line's options (as text) and the form's fields. A body may give any subset
 * of the fields; the rest take the published defaults.
 */
public final class RunConfigJson {
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunConfigJson() {
    }

    public static ObjectNode toTree(RunConfig c) {
        ObjectNode n = MAPPER.createObjectNode();
        for (ConfigField f : RunConfig.FIELDS) {
            n.set(f.name(), f.write(c.get(f.name())));
        }
        return n;
    }

    public static String write(RunConfig c) {
        try {
            return MAPPER.writeValueAsString(toTree(c));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses JSON text; a malformed text or a field of the wrong type is an {@link InvalidConfigException}. */
    public static RunConfig read(String json) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidConfigException(List.of(new FieldError("body", "is not valid JSON: "
                    + e.getOriginalMessage())));
        }
        return fromTree(tree);
    }

    /** The defaults overlaid with the fields of {@code tree}; not yet checked against the limits. */
    public static RunConfig fromTree(JsonNode tree) {
        if (tree == null || !tree.isObject()) {
            throw new InvalidConfigException(List.of(new FieldError("body", "must be a JSON object")));
        }
        return over(RunConfig.defaults(), tree);
    }

    /**
     * {@code base} with the fields of an object changed; not yet checked against the limits. Types are strict: a
     * string where a number belongs, a fraction where a whole number belongs and an unknown field name are each
     * an error naming the field, and every one is named in one {@link InvalidConfigException}.
     */
    public static RunConfig over(RunConfig base, JsonNode changes) {
        return over(base, changes, false);
    }

    private static RunConfig over(RunConfig base, JsonNode changes, boolean fromText) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = changes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            ConfigField field = RunConfig.field(f.getKey()).orElse(null);
            if (field == null) {
                errors.add(new FieldError(f.getKey(), "is not a configuration field"));
            } else if (!f.getValue().isValueNode() || f.getValue().isNull()) {
                errors.add(new FieldError(f.getKey(), "must be a number or a string"));
            } else {
                Object v = field.read(f.getValue(), fromText, errors);
                if (v != null && fitsComponent(field.name(), v, errors)) {
                    values.put(field.name(), v);
                }
            }
        }
        RunConfig config = base.with(values);
        if (!errors.isEmpty()) {
            // the fields that could be read are judged too, so that one answer names every bad field
            config.errors(Long.MAX_VALUE).stream()
                    .filter(e -> errors.stream().noneMatch(x -> x.field().equals(e.field())))
                    .forEach(errors::add);
            throw new InvalidConfigException(errors);
        }
        return config;
    }

    /** The defaults overlaid with options given as text (the command line's), by field name. */
    public static RunConfig fromText(RunConfig base, Map<String, String> texts) {
        ObjectNode tree = MAPPER.createObjectNode();
        texts.forEach((name, text) -> tree.set(name, TextNode.valueOf(text)));
        return over(base, tree, true);
    }

    /** Every field's descriptor, as the dashboard's form reads them. */
    public static ArrayNode describeFields() {
        ArrayNode list = MAPPER.createArrayNode();
        RunConfig.FIELDS.forEach(f -> list.add(f.describe()));
        return list;
    }

    /** Every recipe, as the form's recipe buttons read them. */
    public static ArrayNode describeRecipes() {
        ArrayNode list = MAPPER.createArrayNode();
        for (Recipe r : Recipe.values()) {
            list.add(r.describe());
        }
        return list;
    }

    /** A whole number too large for an int component is out of range before any limit is checked. */
    private static boolean fitsComponent(String name, Object v, List<FieldError> errors) {
        if (v instanceof Long n && RunConfig.defaults().get(name) instanceof Integer
                && (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE)) {
            errors.add(new FieldError(name, "is out of range: " + n));
            return false;
        }
        return true;
    }
}
