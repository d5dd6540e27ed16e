package org.neuralgrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.RunConfigJson;

/**
 * {@code POST /api/config/check}: what a start would say of a configuration, and the size estimate the form shows,
 * computed by the server (never by a copy of the formula in the page), without starting anything.
 */
class ConfigCheckTest extends DashboardTestBase {

    @BeforeEach
    void startServer() {
        start();
    }

    @Test
    void aValidConfigurationHasNoErrorsAndTheServersEstimate() {
        JsonObject config = new JsonObject().put("gridType", "3d").put("layers", 4).put("dataset", "synthetic")
                .put("samples", 512).put("testSamples", 128).put("batch", 64);
        HttpResponse<Buffer> r = post("/api/config/check", new JsonObject().put("config", config));

        assertEquals(200, r.statusCode(), r.bodyAsString());
        JsonObject reply = r.bodyAsJsonObject();
        assertEquals(new JsonArray(), reply.getJsonArray("errors"));
        RunConfig expected = RunConfigJson.read(config.encode());
        assertEquals(14_122L, reply.getLong("parameters"), "2*4*784 grid + 10*784+10 output parameters");
        assertEquals(expected.estimatedBytes(), reply.getLong("estimatedBytes"));
        assertEquals("28x28x4", reply.getString("grid"));
        assertTrue(get("/api/runs").bodyAsJsonObject().getJsonArray("runs").isEmpty(), "nothing was started");
    }

    @Test
    void theEstimateCountsTheActivationMaps() {
        JsonObject big = new JsonObject().put("height", 4096).put("width", 4096).put("batch", 1)
                .put("dataset", "synthetic").put("samples", 16).put("testSamples", 16);
        JsonObject reply = post("/api/config/check", new JsonObject().put("config", big)).bodyAsJsonObject();
        long maps = 4L * 10 * 4096 * 4096;
        assertTrue(reply.getLong("estimatedBytes") > maps, reply.encode());
    }

    @Test
    void badFieldsAreNamedAsAStartWouldNameThem() {
        JsonObject config = tiny().put("kernel", 4).put("epochs", 0).put("backend", "opencl:99");
        JsonObject check = post("/api/config/check", new JsonObject().put("config", config)).bodyAsJsonObject();
        JsonObject start = post("/api/runs", new JsonObject().put("config", config)).bodyAsJsonObject();

        assertEquals(start.getJsonArray("errors"), check.getJsonArray("errors"));
        assertEquals(3, check.getJsonArray("errors").size(), check.encode());
        assertEquals("16x8", check.getString("grid"), "the sizes are fine, so the estimate is there");
    }

    @Test
    void unreadableFieldsGiveErrorsAndNoEstimate() {
        JsonObject reply = post("/api/config/check", new JsonObject().put("config",
                tiny().put("height", "tall").put("colour", "red"))).bodyAsJsonObject();
        assertEquals(2, reply.getJsonArray("errors").size(), reply.encode());
        assertFalse(reply.containsKey("parameters"), reply.encode());
    }

    @Test
    void aBodyThatIsNotAJsonObjectIs400() {
        HttpResponse<Buffer> r = await(client.post("/api/config/check").putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer("[1]")));
        assertEquals(400, r.statusCode());
        assertEquals("body", r.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"));
    }
}
