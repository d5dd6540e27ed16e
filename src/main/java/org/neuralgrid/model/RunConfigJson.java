package org.neuralgrid.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Run configurations as JSON: the weights' companion file, the API's request body and the form's fields. A body
 * may give any subset of the fields; the rest take the published defaults.
 */
public final class RunConfigJson {
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Set<String> FIELDS = Set.of("height", "width", "kernel", "activation", "gain", "batch",
            "lr", "lrStep", "lrGamma", "epochs", "seed", "dataset", "samples", "testSamples", "backend", "threads",
            "checkpointEvery", "gridType", "layers");

    private RunConfigJson() {
    }

    public static ObjectNode toTree(RunConfig c) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("height", c.height());
        n.put("width", c.width());
        n.put("kernel", c.kernel());
        n.put("activation", c.activation().id());
        n.put("gain", c.gain());
        n.put("batch", c.batch());
        n.put("lr", c.lr());
        n.put("lrStep", c.lrStep());
        n.put("lrGamma", c.lrGamma());
        n.put("epochs", c.epochs());
        n.put("seed", c.seed());
        n.put("dataset", c.dataset().id());
        n.put("samples", c.samples());
        n.put("testSamples", c.testSamples());
        n.put("backend", c.backend());
        n.put("threads", c.threads());
        n.put("checkpointEvery", c.checkpointEvery());
        n.put("gridType", c.gridType().id());
        n.put("layers", c.layers());
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
        ObjectNode merged = toTree(RunConfig.defaults());
        List<FieldError> errors = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!FIELDS.contains(f.getKey())) {
                errors.add(new FieldError(f.getKey(), "is not a configuration field"));
            } else if (!f.getValue().isValueNode() || f.getValue().isNull()) {
                errors.add(new FieldError(f.getKey(), "must be a number or a string"));
            } else {
                merged.set(f.getKey(), f.getValue());
            }
        }
        RunConfig c = null;
        if (errors.isEmpty()) {
            c = build(merged, errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidConfigException(errors);
        }
        return c;
    }

    private static RunConfig build(ObjectNode n, List<FieldError> errors) {
        Fields f = new Fields(n, errors);
        RunConfig c = new RunConfig(f.integer("height"), f.integer("width"), f.integer("kernel"),
                f.activation(), f.number("gain"), f.integer("batch"), f.number("lr"), f.integer("lrStep"),
                f.number("lrGamma"), f.integer("epochs"), f.longInteger("seed"), f.dataset(), f.integer("samples"),
                f.integer("testSamples"), n.get("backend").asText(), f.integer("threads"),
                f.integer("checkpointEvery"), f.gridType(), f.integer("layers"));
        return errors.isEmpty() ? c : null;
    }

    /** Reads typed fields, collecting an error per bad one instead of stopping at the first. */
    private record Fields(ObjectNode n, List<FieldError> errors) {
        int integer(String name) {
            long v = longInteger(name);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                errors.add(new FieldError(name, "is out of range: " + v));
                return 0;
            }
            return (int) v;
        }

        long longInteger(String name) {
            JsonNode v = n.get(name);
            if (v.isIntegralNumber() && v.canConvertToLong()) {
                return v.asLong();
            }
            if (v.isTextual()) {
                try {
                    return Long.parseLong(v.asText().trim());
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
            errors.add(new FieldError(name, "must be a whole number, got " + v));
            return 0;
        }

        double number(String name) {
            JsonNode v = n.get(name);
            if (v.isNumber()) {
                return v.asDouble();
            }
            if (v.isTextual()) {
                try {
                    return Double.parseDouble(v.asText().trim());
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
            errors.add(new FieldError(name, "must be a number, got " + v));
            return Double.NaN;
        }

        Activation activation() {
            try {
                return Activation.parse(n.get("activation").asText());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("activation", e.getMessage()));
                return null;
            }
        }

        GridType gridType() {
            try {
                return GridType.parse(n.get("gridType").asText());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("gridType", e.getMessage()));
                return null;
            }
        }

        DatasetKind dataset() {
            try {
                return DatasetKind.parse(n.get("dataset").asText());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("dataset", e.getMessage()));
                return null;
            }
        }
    }
}
