package org.neuralgrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neuralgrid.engine.MetricsCsv;
import org.neuralgrid.io.HeatmapFrame;

/** The JSON API over a real server and the real training side. */
class RunApiTest extends DashboardTestBase {

    @BeforeEach
    void startDashboard() {
        start();
    }

    @Test
    void creatingARunAnswers201WithItsIdAndLocation() {
        HttpResponse<Buffer> r = post("/api/runs", new JsonObject().put("name", "first").put("config", tiny()));

        assertEquals(201, r.statusCode(), r.bodyAsString());
        assertJson(r);
        String id = r.bodyAsJsonObject().getString("id");
        assertTrue(id.matches("[0-9a-f]{12}"), id);
        assertEquals("/api/runs/" + id, r.getHeader("Location"));
        JsonObject run = get("/api/runs/" + id).bodyAsJsonObject();
        assertEquals("first", run.getString("name"));
        assertEquals("16x8", run.getString("grid"));
    }

    @Test
    void theConfigurationMayAlsoComeAtTheTopLevelBesideTheName() {
        HttpResponse<Buffer> r = post("/api/runs", tiny().put("name", "flat").put("kernel", 5));

        assertEquals(201, r.statusCode(), r.bodyAsString());
        String id = r.bodyAsJsonObject().getString("id");
        JsonObject run = get("/api/runs/" + id).bodyAsJsonObject();
        assertEquals("flat", run.getString("name"));
        assertEquals(5, run.getJsonObject("config").getInteger("kernel"));
    }

    @Test
    void aCompletedRunIsListedAndServesItsConfigAndMetricsAsJsonAndCsv() {
        String id = createRun(tiny());
        JsonObject done = awaitStatus(id, "completed");
        assertEquals(3, done.getInteger("epoch"));

        HttpResponse<Buffer> list = get("/api/runs");
        assertEquals(200, list.statusCode());
        assertJson(list);
        assertTrue(list.bodyAsJsonObject().getJsonArray("runs").stream()
                .anyMatch(s -> id.equals(((JsonObject) s).getString("id"))));

        JsonObject config = get("/api/runs/" + id + "/config").bodyAsJsonObject();
        assertEquals(16, config.getInteger("height"));
        assertEquals("synthetic", config.getString("dataset"));

        HttpResponse<Buffer> metrics = get("/api/runs/" + id + "/metrics");
        assertEquals(200, metrics.statusCode());
        assertEquals(id, metrics.bodyAsJsonObject().getString("id"));
        JsonArray epochs = metrics.bodyAsJsonObject().getJsonArray("epochs");
        assertEquals(3, epochs.size());
        assertEquals(1, epochs.getJsonObject(0).getInteger("epoch"));
        assertNotNull(epochs.getJsonObject(2).getDouble("testAccuracy"));

        HttpResponse<Buffer> csv = get("/api/runs/" + id + "/metrics?format=csv");
        assertEquals(200, csv.statusCode());
        assertTrue(csv.getHeader("Content-Type").startsWith("text/csv"));
        List<String> lines = csv.bodyAsString().lines().toList();
        assertEquals(MetricsCsv.HEADER, lines.get(0));
        assertEquals(4, lines.size());
        String[] third = lines.get(3).split(",", -1);
        assertEquals(11, third.length);
        assertEquals("3", third[0]);
        assertEquals(epochs.getJsonObject(2).getDouble("testAccuracy"), Double.parseDouble(third[6]));
    }

    @Test
    void aRunWithAValidationSetChoosesItsBestEpochOnValidationAndServesBestAndFinalWeights() {
        String id = createRun(tiny().put("validation", 128).put("epochs", 4));
        JsonObject run = awaitStatus(id, "completed");

        assertEquals("validation", run.getString("selectedBy"));
        assertEquals(new JsonObject().put("final", true).put("best", true), run.getJsonObject("weights"));
        JsonObject metrics = get("/api/runs/" + id + "/metrics").bodyAsJsonObject();
        JsonArray epochs = metrics.getJsonArray("epochs");
        int best = 0;
        double bestValidation = -1;
        for (int i = 0; i < epochs.size(); i++) {
            JsonObject e = epochs.getJsonObject(i);
            assertNotNull(e.getDouble("validationAccuracy"), e.encode());
            if (e.getDouble("validationAccuracy") > bestValidation) {
                bestValidation = e.getDouble("validationAccuracy");
                best = e.getInteger("epoch");
            }
            assertEquals(e.getInteger("epoch") == best || !e.getBoolean("best"), true, e.encode());
        }
        assertEquals(best, metrics.getInteger("bestEpoch"));
        assertEquals(best, run.getInteger("bestEpoch"));
        assertEquals(epochs.getJsonObject(best - 1).getDouble("testAccuracy"), run.getDouble("bestTestAccuracy"));

        HttpResponse<Buffer> bestWeights = get("/api/runs/" + id + "/weights?which=best");
        assertEquals(200, bestWeights.statusCode());
        assertEquals("attachment; filename=\"neuralgrid-" + id + "-16x8-best.safetensors\"",
                bestWeights.getHeader("Content-Disposition"));
        assertTrue(new String(bestWeights.body().getBytes(), StandardCharsets.UTF_8).contains("\"epoch\":\"" + best
                + "\""), "the best weights' metadata names their epoch");
        assertEquals(400, get("/api/runs/" + id + "/weights?which=worst").statusCode());
    }

    @Test
    void aRunWithoutAValidationSetSaysItChoseOnTest() {
        String id = createRun(tiny());
        JsonObject run = awaitStatus(id, "completed");
        assertEquals("test", run.getString("selectedBy"));
        assertNotNull(run.getInteger("bestEpoch"));
        assertEquals(run.getDouble("bestTestAccuracy"), get("/api/runs/" + id + "/metrics").bodyAsJsonObject()
                .getJsonArray("epochs").getJsonObject(run.getInteger("bestEpoch") - 1).getDouble("testAccuracy"));
    }

    @Test
    void weightsDownloadAsANamedSafetensorsAttachment() {
        String id = createRun(tiny());
        awaitStatus(id, "completed");

        HttpResponse<Buffer> r = get("/api/runs/" + id + "/weights");

        assertEquals(200, r.statusCode());
        assertEquals("application/octet-stream", r.getHeader("Content-Type"));
        assertEquals("attachment; filename=\"neuralgrid-" + id + "-16x8-final.safetensors\"",
                r.getHeader("Content-Disposition"));
        byte[] bytes = r.body().getBytes();
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertTrue(headerLength > 0 && headerLength < bytes.length - 8, "header length " + headerLength);
        JsonObject header = new JsonObject(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        JsonObject grid = header.getJsonObject("grid.weight");
        assertNotNull(grid, header.fieldNames().toString());
        assertEquals("F32", grid.getString("dtype"));
        assertEquals(new JsonArray().add(8).add(16), grid.getJsonArray("shape"));
    }

    @Test
    void theHeatmapOfAnEpochIsADecodableFrame() {
        String id = createRun(tiny());
        awaitStatus(id, "completed");

        HttpResponse<Buffer> r = get("/api/runs/" + id + "/heatmaps/3");

        assertEquals(200, r.statusCode(), r.bodyAsString());
        assertEquals("application/octet-stream", r.getHeader("Content-Type"));
        HeatmapFrame frame = HeatmapFrame.decode(r.body().getBytes());
        assertEquals(3, frame.epoch());
        assertEquals(10, frame.classes());
        assertEquals(1, frame.layers());
        assertEquals(16, frame.rows());
        assertEquals(8, frame.cols());
        assertEquals(404, get("/api/runs/" + id + "/heatmaps/99").statusCode());
        assertEquals(404, get("/api/runs/" + id + "/heatmaps/x1").statusCode());
    }

    @Test
    void invalidConfigurationsAnswer400WithAMessageForEachBadField() {
        Map<String, JsonObject> cases = Map.of(
                "kernel", tiny().put("kernel", 4),
                "height", tiny().put("height", 0),
                "width", tiny().put("width", 5000),
                "epochs", tiny().put("epochs", 10_001),
                "activation", tiny().put("activation", "softsign"),
                "backend", tiny().put("backend", "cuda"),
                "lr", tiny().put("lr", -1));
        cases.forEach((field, config) -> {
            HttpResponse<Buffer> r = post("/api/runs", new JsonObject().put("config", config));
            assertEquals(400, r.statusCode(), field + ": " + r.bodyAsString());
            assertJson(r);
            JsonArray errors = r.bodyAsJsonObject().getJsonArray("errors");
            assertTrue(errors.stream().map(JsonObject.class::cast)
                    .anyMatch(e -> field.equals(e.getString("field")) && !e.getString("message").isBlank()),
                    field + ": " + errors);
        });
    }

    @Test
    void typesAreStrictAStringOrAFractionWhereANumberBelongsIsAFieldError() {
        HttpResponse<Buffer> r = post("/api/runs", new JsonObject().put("config", tiny().put("height", "64")
                .put("epochs", 2.5).put("lr", "0.001").put("colour", "red")));

        assertEquals(400, r.statusCode(), r.bodyAsString());
        List<String> fields = r.bodyAsJsonObject().getJsonArray("errors").stream()
                .map(e -> ((JsonObject) e).getString("field")).toList();
        assertEquals(List.of("height", "epochs", "lr", "colour"), fields);
        assertTrue(get("/api/runs").bodyAsJsonObject().getJsonArray("runs").isEmpty(), "nothing was started");
    }

    @Test
    void severalBadFieldsAreReportedTogether() {
        HttpResponse<Buffer> r = post("/api/runs", new JsonObject().put("config",
                tiny().put("kernel", 2).put("epochs", 0).put("activation", "nope")));

        assertEquals(400, r.statusCode());
        List<String> fields = r.bodyAsJsonObject().getJsonArray("errors").stream()
                .map(e -> ((JsonObject) e).getString("field")).toList();
        assertTrue(fields.contains("activation"), fields.toString());
    }

    @Test
    void aGridTooLargeForTheMemoryIsRefused() {
        JsonObject huge = new JsonObject().put("height", 4096).put("width", 4096).put("batch", 8192)
                .put("dataset", "synthetic").put("samples", 8192).put("testSamples", 128).put("backend", "java");

        HttpResponse<Buffer> r = post("/api/runs", new JsonObject().put("config", huge));

        assertEquals(400, r.statusCode(), r.bodyAsString());
        JsonObject error = r.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0);
        assertTrue(error.getString("message").contains("MiB"), error.encode());
    }

    @Test
    void malformedOrNonObjectBodiesAnswer400OnTheBody() {
        for (String body : List.of("{\"height\": ", "[1, 2]", "", "42")) {
            HttpResponse<Buffer> r = await(client.post("/api/runs").putHeader("Content-Type", "application/json")
                    .sendBuffer(Buffer.buffer(body)));
            assertEquals(400, r.statusCode(), body);
            assertJson(r);
            JsonObject error = r.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0);
            assertEquals("body", error.getString("field"));
        }
        HttpResponse<Buffer> badName = post("/api/runs", new JsonObject().put("name", 7).put("config", tiny()));
        assertEquals(400, badName.statusCode());
        assertEquals("name", badName.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"));
        HttpResponse<Buffer> badConfig = post("/api/runs", new JsonObject().put("config", "big"));
        assertEquals(400, badConfig.statusCode());
    }

    @Test
    void bodiesOver64KiloBytesAnswer413() {
        String padding = "x".repeat(70 * 1024);
        HttpResponse<Buffer> r = post("/api/runs", tiny().put("name", padding));

        assertEquals(413, r.statusCode());
        assertJson(r);
        assertTrue(r.bodyAsJsonObject().getString("error").contains("65536"));
        assertEquals(200, get("/health").statusCode(), "the server goes on serving");
    }

    @Test
    void unknownRunsAnswer404OnEveryRoute() {
        String id = "0123456789ab";
        for (String path : List.of("", "/config", "/metrics", "/metrics?format=csv", "/weights", "/heatmaps/0")) {
            HttpResponse<Buffer> r = get("/api/runs/" + id + path);
            assertEquals(404, r.statusCode(), path);
            assertJson(r);
            assertNotNull(r.bodyAsJsonObject().getString("error"), path);
        }
        assertEquals(404, post("/api/runs/" + id + "/cancel").statusCode());
        assertEquals(404, post("/api/runs/" + id + "/resume").statusCode());
        assertEquals(404, await(client.delete("/api/runs/" + id).send()).statusCode());
        assertEquals(404, get("/runs/" + id).statusCode());
    }

    @Test
    void idsThatAreNotRunIdsAnswer404BeforeReachingTheTrainingSide() {
        for (String id : List.of("..%2F..%2Fetc%2Fpasswd", "ABCDEF012345", "0123456789abc", "%2e%2e", "x")) {
            HttpResponse<Buffer> r = get("/api/runs/" + id);
            assertEquals(404, r.statusCode(), id);
            assertJson(r);
            assertEquals(404, get("/api/runs/" + id + "/weights").statusCode(), id);
        }
        assertEquals(404, get("/api/runs/../etc").statusCode());
        assertEquals(404, get("/api/nothing-here").statusCode());
    }

    @Test
    void cancellingARunningRunStopsItAndASecondCancelConflicts() {
        String id = createRun(endless());
        awaitStatus(id, "running");

        HttpResponse<Buffer> r = post("/api/runs/" + id + "/cancel");

        assertEquals(200, r.statusCode(), r.bodyAsString());
        assertEquals("cancelled", r.bodyAsJsonObject().getString("status"));
        assertEquals("cancelled", awaitStatus(id, "cancelled").getString("status"));
        HttpResponse<Buffer> again = post("/api/runs/" + id + "/cancel");
        assertEquals(409, again.statusCode());
        assertJson(again);
        assertFalse(again.bodyAsJsonObject().getString("error").isBlank());
    }

    @Test
    void deletingARunAnswers204AndTheRunIsGone() {
        String id = createRun(tiny());
        awaitStatus(id, "completed");

        HttpResponse<Buffer> r = await(client.delete("/api/runs/" + id).send());

        assertEquals(204, r.statusCode());
        assertEquals(404, get("/api/runs/" + id).statusCode());
        assertEquals(404, get("/api/runs/" + id + "/weights").statusCode());
        assertFalse(get("/api/runs").bodyAsString().contains(id));
    }

    @Test
    void devicesDatasetsAndHealthAnswerJson() {
        HttpResponse<Buffer> health = get("/health");
        assertEquals(200, health.statusCode());
        assertEquals(new JsonObject().put("status", "ok"), health.bodyAsJsonObject());

        JsonArray devices = get("/api/devices").bodyAsJsonObject().getJsonArray("devices");
        assertTrue(devices.stream().map(JsonObject.class::cast).anyMatch(d -> "java".equals(d.getString("backend"))),
                devices.encode());

        JsonObject fashion = get("/api/datasets").bodyAsJsonObject().getJsonObject("fashionMnist");
        assertNotNull(fashion.getValue("present"), fashion.encode());
    }
}
