package org.neuralgrid.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.neuralgrid.bus.RunBus;
import org.neuralgrid.engine.Backends;
import org.neuralgrid.model.FieldError;
import org.neuralgrid.model.InvalidConfigException;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.RunConfigJson;

/**
 * A {@link RunBus#START} body, checked: {@code {"name": "optional", "config": {any subset of the fields}}}.
 *
 * @param name the name asked for, or null for the default
 */
record StartRequest(String name, RunConfig config) {

    /**
     * Parses and validates a body against the configuration limits, the memory budget and the devices found.
     *
     * @throws InvalidConfigException naming every bad field
     */
    static StartRequest parse(JsonObject body, List<Backends.Device> devices, long memoryBudget) {
        Object name = body.getValue("name");
        if (name != null && !(name instanceof String)) {
            throw new InvalidConfigException(List.of(new FieldError("name", "must be a string")));
        }
        RunConfig config = RunConfigJson.fromTree(configTree(body.getValue("config")));
        List<FieldError> errors = new ArrayList<>(config.errors(memoryBudget));
        if (errors.isEmpty()) {
            String problem = backendProblem(config.backend(), devices);
            if (problem != null) {
                errors.add(new FieldError("backend", problem));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidConfigException(errors);
        }
        return new StartRequest((String) name, config);
    }

    private static JsonNode configTree(Object config) {
        if (config == null) {
            return RunConfigJson.MAPPER.createObjectNode();
        }
        if (!(config instanceof JsonObject json)) {
            throw new InvalidConfigException(List.of(new FieldError("config", "must be a JSON object")));
        }
        try {
            return RunConfigJson.MAPPER.readTree(json.encode());
        } catch (JsonProcessingException e) {
            throw new InvalidConfigException(List.of(new FieldError("config", "is not valid JSON: " + e.getMessage())));
        }
    }

    /**
     * Why a syntactically valid backend ("auto", "java", "opencl", "opencl:N") cannot be used here, or null. The
     * devices are {@link Backends#devices()}: a family ("opencl") is usable when one of its devices is available,
     * a spec ("opencl:1") when that device is listed and available.
     */
    static String backendProblem(String spec, List<Backends.Device> devices) {
        if (spec.equals("auto")) {
            return null;
        }
        int colon = spec.indexOf(':');
        String family = colon < 0 ? spec : spec.substring(0, colon);
        List<Backends.Device> ofFamily = devices.stream()
                .filter(d -> d.backend().equals(family) || d.backend().startsWith(family + ":"))
                .toList();
        boolean usable = ofFamily.stream().anyMatch(d -> d.available() && (colon < 0 || d.backend().equals(spec)));
        if (usable) {
            return null;
        }
        String why = ofFamily.stream().filter(d -> !d.available()).map(Backends.Device::note).findFirst()
                .map(note -> ": " + note).orElse("");
        if (colon < 0) {
            return "no " + family + " device is available here" + why;
        }
        List<String> found = ofFamily.stream().filter(Backends.Device::available).map(Backends.Device::backend).toList();
        return "there is no device " + spec + " here" + (found.isEmpty() ? why : " (found " + String.join(", ", found) + ")");
    }
}
