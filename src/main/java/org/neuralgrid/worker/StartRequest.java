package org.neuralgrid.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.neuralgrid.bus.RunBus;
import org.neuralgrid.bus.RunName;
import org.neuralgrid.engine.Device;
import org.neuralgrid.engine.catalog.BackendCatalog;
import org.neuralgrid.model.FieldError;
import org.neuralgrid.model.InvalidConfigException;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.RunConfigJson;

/**
 * A {@link RunBus#START} body, checked in one place: {@code {"name"?, "config": {any subset of the fields}}}, or
 * the configuration's fields at the top level beside an optional {@code "name"}.
 *
 * @param name the name asked for, stripped; "" for the default
 */
record StartRequest(String name, RunConfig config) {

    /**
     * Parses and validates a body against the name rule, the configuration's limits, the memory budget and the
     * devices found.
     *
     * @throws InvalidConfigException naming every bad field
     */
    static StartRequest parse(JsonObject body, List<Device> devices, long memoryBudget) {
        Object name = body.getValue("name");
        String nameProblem = name == null ? null : RunName.problem(name);
        if (nameProblem != null) {
            throw invalid("name", nameProblem);
        }
        RunConfig config = check(RunConfigJson.fromTree(configTree(body)), devices, memoryBudget);
        return new StartRequest(RunName.clean((String) name), config);
    }

    /**
     * A configuration's every broken limit, and a backend that is not among {@code devices} (null: not checked, on
     * a cluster's dashboard, where a run waits for a node that has its backend).
     */
    static RunConfig check(RunConfig config, List<Device> devices, long memoryBudget) {
        List<FieldError> errors = new ArrayList<>(config.errors(memoryBudget));
        if (devices != null) {
            BackendCatalog.problem(config.backend(), devices)
                    .ifPresent(problem -> errors.add(new FieldError("backend", problem)));
        }
        if (!errors.isEmpty()) {
            throw new InvalidConfigException(errors);
        }
        return config;
    }

    /** The configuration's fields: the "config" object, or the body's own fields but "name". */
    static JsonNode configTree(JsonObject body) {
        JsonObject fields;
        if (body.containsKey("config")) {
            if (!(body.getValue("config") instanceof JsonObject config)) {
                throw invalid("config", "must be a JSON object");
            }
            String stray = body.fieldNames().stream().filter(f -> !f.equals("name") && !f.equals("config"))
                    .findFirst().orElse(null);
            if (stray != null) {
                throw invalid(stray, "belongs inside \"config\" (or send the fields without \"config\")");
            }
            fields = config;
        } else {
            fields = body.copy();
            fields.remove("name");
        }
        try {
            return RunConfigJson.MAPPER.readTree(fields.encode());
        } catch (JsonProcessingException e) {
            throw invalid("config", "is not valid JSON: " + e.getMessage());
        }
    }

    private static InvalidConfigException invalid(String field, String message) {
        return new InvalidConfigException(List.of(new FieldError(field, message)));
    }
}
