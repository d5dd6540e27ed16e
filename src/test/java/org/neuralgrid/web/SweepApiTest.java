package org.neuralgrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neuralgrid.model.RunConfig;

/** Sweeps over the JSON API, on a real server and the real training side. */
class SweepApiTest extends DashboardTestBase {
    private static final long SWEEP_SECONDS = 120;

    @BeforeEach
    void startDashboard() {
        start();
    }

    /** kernel 3, 5 x gain 0.5, 1, two seeds each: eight tiny runs. */
    private static JsonObject kernelsAndGains(JsonObject base) {
        return new JsonObject().put("name", "kernels and gains").put("base", base.put("epochs", 2))
                .put("sweep", new JsonObject().put("kernel", new JsonArray().add(3).add(5))
                        .put("gain", new JsonArray().add(0.5).add(1.0)))
                .put("seeds", 2);
    }

    @Test
    void aSweepStoresEveryRunOfTheGridAndGivesMeansAndDeviationsOverSeedsPerPoint() {
        HttpResponse<Buffer> r = post("/api/sweeps", kernelsAndGains(tiny()));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        String id = r.bodyAsJsonObject().getString("id");
        assertEquals(8, r.bodyAsJsonObject().getInteger("runs"));
        assertEquals("/api/sweeps/" + id, r.getHeader("Location"));

        JsonObject sweep = awaitSweep(id, "completed");
        assertEquals("kernels and gains", sweep.getString("name"));
        assertEquals(List.of("kernel", "gain"), sweep.getJsonArray("fields").getList());
        assertEquals(8, sweep.getJsonObject("counts").getInteger("completed"));
        assertEquals(1.0, sweep.getDouble("progress"), 1e-9);
        JsonArray runs = sweep.getJsonArray("runs");
        assertEquals(8, runs.size());
        JsonObject first = runs.getJsonObject(0);
        assertEquals(new JsonObject().put("kernel", 3).put("gain", 0.5), first.getJsonObject("point"));
        assertEquals(List.of(42L, 43L), runs.stream().limit(2).map(x -> ((JsonObject) x).getLong("seed")).toList());
        assertEquals(id, get("/api/runs/" + first.getString("id")).bodyAsJsonObject().getString("sweep"));

        JsonArray points = sweep.getJsonArray("points");
        assertEquals(List.of("kernel=3, gain=0.5", "kernel=3, gain=1.0", "kernel=5, gain=0.5", "kernel=5, gain=1.0"),
                points.stream().map(p -> ((JsonObject) p).getString("label")).toList());
        for (Object o : points) {
            JsonObject p = (JsonObject) o;
            assertEquals(2, p.getJsonArray("runs").size());
            assertEquals(2, p.getInteger("finished"));
            List<Double> finals = p.getJsonArray("runs").stream()
                    .map(rid -> runIn(runs, (String) rid).getDouble("finalTestAccuracy")).toList();
            double mean = (finals.get(0) + finals.get(1)) / 2;
            assertEquals(mean, p.getDouble("finalTestMean"), 1e-12, p.encode());
            assertEquals(Math.abs(finals.get(0) - finals.get(1)) / Math.sqrt(2), p.getDouble("finalTestStd"), 1e-12);
            assertNotNull(p.getDouble("bestTestMean"));
            assertTrue(p.getDouble("secondsMean") > 0);
        }
    }

    @Test
    void aSweepWithAnInvalidPointIsRefusedWholeNamingThePointAndStartsNothing() {
        JsonObject bad = kernelsAndGains(tiny());
        bad.getJsonObject("sweep").put("kernel", new JsonArray().add(3).add(9))
                .put("height", new JsonArray().add(4).add(16));

        HttpResponse<Buffer> r = post("/api/sweeps", bad);

        assertEquals(400, r.statusCode(), r.bodyAsString());
        String errors = r.bodyAsJsonObject().getJsonArray("errors").encode();
        assertTrue(errors.contains("height=4") && errors.contains("kernel=9"), errors);
        assertEquals(0, get("/api/runs").bodyAsJsonObject().getJsonArray("runs").size());
        assertEquals(0, get("/api/sweeps").bodyAsJsonObject().getJsonArray("sweeps").size());
    }

    @Test
    void theCheckCountsPointsAndRunsAndEstimatesTimeOnceARunHasTrainedHere() {
        JsonObject check = post("/api/sweeps/check", kernelsAndGains(tiny())).bodyAsJsonObject();
        assertEquals(List.of(), check.getJsonArray("errors").getList());
        assertEquals(4, check.getInteger("points"));
        assertEquals(8, check.getInteger("runs"));
        assertNull(check.getValue("estimatedSeconds"), "nothing has trained here yet");

        awaitStatus(createRun(tiny()), "completed");

        Number estimate = (Number) post("/api/sweeps/check", kernelsAndGains(tiny())).bodyAsJsonObject()
                .getValue("estimatedSeconds");
        assertNotNull(estimate);
        assertTrue(estimate.doubleValue() > 0 && estimate.doubleValue() < 600, "estimate " + estimate);

        JsonObject bad = kernelsAndGains(tiny()).put("seeds", 0);
        JsonObject refused = post("/api/sweeps/check", bad).bodyAsJsonObject();
        assertEquals("seeds", refused.getJsonArray("errors").getJsonObject(0).getString("field"));
        assertNull(refused.getValue("estimatedSeconds"));
    }

    @Test
    void cancellingASweepStopsItsRunningRunAndUnqueuesTheRestAndResumeQueuesThemAgain() {
        JsonObject spec = new JsonObject().put("base", endless())
                .put("sweep", new JsonObject().put("kernel", new JsonArray().add(3).add(5)));
        String id = post("/api/sweeps", spec).bodyAsJsonObject().getString("id");
        JsonObject running = awaitSweep(id, "running");
        assertEquals(1, running.getJsonObject("counts").getInteger("running"), "one at a time on this server");
        assertEquals(1, running.getJsonObject("counts").getInteger("queued"));

        JsonObject cancelled = post("/api/sweeps/" + id + "/cancel").bodyAsJsonObject();
        assertEquals("cancelled", cancelled.getString("status"));
        assertEquals(2, cancelled.getJsonObject("counts").getInteger("cancelled"));

        HttpResponse<Buffer> resumed = resumeOnceStopped(id);
        assertEquals(200, resumed.statusCode(), resumed.bodyAsString());
        assertEquals(Set.of("running", "queued"), Set.copyOf(get("/api/sweeps/" + id).bodyAsJsonObject()
                .getJsonObject("counts").fieldNames()), "both runs queued again");
        assertEquals(409, post("/api/sweeps/" + id + "/resume").statusCode(), "nothing left to resume");
        post("/api/sweeps/" + id + "/cancel");
        resumeOnceStopped(id);
        post("/api/sweeps/" + id + "/cancel");
    }

    /** Resume answers 409 while a cancelled run is still stopping; the answer once it has stopped. */
    private HttpResponse<Buffer> resumeOnceStopped(String id) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
        HttpResponse<Buffer> r;
        do {
            r = post("/api/sweeps/" + id + "/resume");
            if (r.statusCode() != 409 || !r.bodyAsString().contains("still stopping")) {
                return r;
            }
            sleep(100);
        } while (System.nanoTime() < deadline);
        return fail("a run of sweep " + id + " did not stop: " + r.bodyAsString());
    }

    @Test
    void theWholeSweepExportsAsCsvWithOneRowPerRunAndEpochAndAsJson() {
        JsonObject spec = new JsonObject().put("name", "two kernels").put("base", tiny().put("epochs", 2))
                .put("sweep", new JsonObject().put("kernel", new JsonArray().add(3).add(5)));
        String id = post("/api/sweeps", spec).bodyAsJsonObject().getString("id");
        awaitSweep(id, "completed");

        HttpResponse<Buffer> csv = get("/api/sweeps/" + id + "/export?format=csv");
        assertEquals(200, csv.statusCode());
        assertTrue(csv.getHeader("Content-Disposition").contains("neuralgrid-sweep-" + id + ".csv"));
        List<String> lines = csv.bodyAsString().lines().toList();
        assertEquals(1 + 2 * 2, lines.size(), csv.bodyAsString());
        List<String> header = List.of(lines.get(0).split(","));
        assertEquals(List.of("sweep", "run", "name", "status"), header.subList(0, 4));
        assertTrue(header.containsAll(RunConfig.FIELDS.stream().map(f -> f.name()).toList()));
        int kernel = header.indexOf("kernel"), epoch = header.indexOf("epoch"), acc = header.indexOf("test_accuracy");
        assertEquals(List.of("3:1", "3:2", "5:1", "5:2"), lines.stream().skip(1).map(l -> l.split(",", -1))
                .map(c -> c[kernel] + ":" + c[epoch]).toList());
        assertTrue(lines.stream().skip(1).allMatch(l -> !l.split(",", -1)[acc].isEmpty()));

        HttpResponse<Buffer> json = get("/api/sweeps/" + id + "/export");
        assertEquals(200, json.statusCode());
        assertJson(json);
        JsonObject all = json.bodyAsJsonObject();
        assertEquals("two kernels", all.getJsonObject("sweep").getString("name"));
        assertEquals(Set.of(3, 5), all.getJsonArray("runs").stream()
                .map(x -> ((JsonObject) x).getJsonObject("config").getInteger("kernel")).collect(Collectors.toSet()));
        assertTrue(all.getJsonArray("runs").stream()
                .allMatch(x -> ((JsonObject) x).getJsonArray("epochs").size() == 2));

        assertEquals(400, get("/api/sweeps/" + id + "/export?format=xml").statusCode());
    }

    @Test
    void deletingASweepStopsItsRunningRunAndDeletesEveryRunWithItsFiles() {
        JsonObject spec = new JsonObject().put("base", endless())
                .put("sweep", new JsonObject().put("kernel", new JsonArray().add(3).add(5)));
        String id = post("/api/sweeps", spec).bodyAsJsonObject().getString("id");
        awaitSweep(id, "running");
        List<String> runs = get("/api/sweeps/" + id).bodyAsJsonObject().getJsonArray("runs").stream()
                .map(r -> ((JsonObject) r).getString("id")).toList();

        assertEquals(204, await(client.delete("/api/sweeps/" + id).send()).statusCode());

        assertEquals(404, get("/api/sweeps/" + id).statusCode());
        for (String run : runs) {
            assertEquals(404, get("/api/runs/" + run).statusCode());
        }
        assertEquals(0, get("/api/sweeps").bodyAsJsonObject().getJsonArray("sweeps").size());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
        while (runs.stream().anyMatch(r -> java.nio.file.Files.exists(dataDir.resolve("runs").resolve(r)))) {
            assertTrue(System.nanoTime() < deadline, "the running run's folder goes once it has stopped");
            sleep(100);
        }
    }

    @Test
    void unknownSweepsAndMalformedIdsAre404AndAreNamed() {
        HttpResponse<Buffer> unknown = get("/api/sweeps/0123456789ab");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.bodyAsString().contains("no sweep '0123456789ab'"));
        assertEquals(404, get("/api/sweeps/..%2F..%2Fetc").statusCode());
        assertEquals(404, post("/api/sweeps/0123456789ab/cancel").statusCode());
        assertEquals(400, post("/api/sweeps", new JsonObject().put("sweeps", 1)).statusCode());
    }

    private static JsonObject runIn(JsonArray runs, String id) {
        return runs.stream().map(JsonObject.class::cast).filter(r -> id.equals(r.getString("id"))).findFirst()
                .orElseThrow();
    }

    private JsonObject awaitSweep(String id, String status) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SWEEP_SECONDS);
        JsonObject sweep = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<Buffer> r = get("/api/sweeps/" + id);
            assertEquals(200, r.statusCode(), r.bodyAsString());
            sweep = r.bodyAsJsonObject();
            if (status.equals(sweep.getString("status"))) {
                return sweep;
            }
            sleep(100);
        }
        return fail("sweep " + id + " did not become " + status + " in " + SWEEP_SECONDS + " s; last: " + sweep);
    }
}
