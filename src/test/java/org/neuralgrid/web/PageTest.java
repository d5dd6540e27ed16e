package org.neuralgrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neuralgrid.bus.RunName;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.SweepSpec;

/** The Thymeleaf pages render with what the training side answers. */
class PageTest extends DashboardTestBase {

    @BeforeEach
    void startDashboard() {
        start();
    }

    private static void assertHtml(HttpResponse<Buffer> r) {
        assertTrue(r.getHeader("Content-Type").startsWith("text/html"), r.getHeader("Content-Type"));
    }

    @Test
    void theIndexPageRendersTheRunsAndTheFormDefaults() {
        String id = post("/api/runs", tiny().put("name", "visible-run")).bodyAsJsonObject().getString("id");
        HttpResponse<Buffer> r = get("/");
        assertEquals(200, r.statusCode(), r.bodyAsString());
        assertHtml(r);
        String html = r.bodyAsString();
        assertTrue(html.contains(id) && html.contains("visible-run"), "the run is listed");
        assertTrue(html.contains("\"lrStep\""), "the form defaults are there");
        assertTrue(html.contains("Ankle boot"), "the class names are there");
    }

    @Test
    void everyPageCarriesTheServersRulesInItsData() {
        String id = createRun(tiny());
        for (String path : new String[] {"/", "/runs/" + id, "/compare?ids=" + id}) {
            JsonObject data = pageData(get(path).bodyAsString());
            assertEquals(RunConfig.FIELDS.size(), data.getJsonArray("fields").size(), path);
            JsonObject kernel = data.getJsonArray("fields").getJsonObject(4);
            assertEquals("kernel", kernel.getString("name"), path);
            assertEquals(RunConfig.MAX_KERNEL, kernel.getInteger("max"), path);
            assertEquals(new JsonArray().add("queued").add("running"),
                    data.getJsonObject("statuses").getJsonArray("active"), path);
            assertEquals(RunName.MAX_LENGTH, data.getInteger("nameMaxLength"), path);
            assertTrue(data.getJsonArray("recipes").size() >= 2, path);
        }
    }

    @Test
    void theIndexPageCarriesTheSweepsAndTheSweepFormsRules() {
        JsonObject spec = new JsonObject().put("name", "listed-sweep").put("base", tiny())
                .put("sweep", new JsonObject().put("kernel", new JsonArray().add(3).add(5)));
        String id = post("/api/sweeps", spec).bodyAsJsonObject().getString("id");
        JsonObject data = pageData(get("/").bodyAsString());
        JsonObject sweep = data.getJsonArray("sweeps").getJsonObject(0);
        assertEquals(id, sweep.getString("id"));
        assertEquals("listed-sweep", sweep.getString("name"));
        JsonObject rules = data.getJsonObject("sweepRules");
        assertEquals(SweepSpec.NOT_SWEPT.keySet(), rules.getJsonObject("notSwept").fieldNames());
        assertEquals(SweepSpec.MAX_SEEDS, rules.getInteger("maxSeeds"));
        assertEquals(SweepSpec.MAX_RUNS, rules.getInteger("maxRuns"));
        assertEquals("grid", rules.getJsonArray("modes").getJsonObject(0).getString("id"));
        assertEquals("random", rules.getJsonArray("modes").getJsonObject(1).getString("id"));
    }

    /** The JSON a page hands its script. */
    private static JsonObject pageData(String html) {
        int start = html.indexOf('>', html.indexOf("id=\"page-data\"")) + 1;
        return new JsonObject(html.substring(start, html.indexOf("</script>", start)).strip());
    }

    @Test
    void theRunPageRendersForARunAnd404ForOthers() {
        String id = createRun(tiny());
        HttpResponse<Buffer> r = get("/runs/" + id);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        assertHtml(r);
        assertTrue(r.bodyAsString().contains(id));

        HttpResponse<Buffer> unknown = get("/runs/0123456789ab");
        assertEquals(404, unknown.statusCode());
        assertHtml(unknown);
        assertEquals(404, get("/runs/not-an-id").statusCode());
    }

    @Test
    void theComparePageRendersTheRunsNamed() {
        String a = createRun(tiny());
        String b = createRun(tiny());
        HttpResponse<Buffer> r = get("/compare?ids=" + a + "," + b);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        assertTrue(r.bodyAsString().contains(a) && r.bodyAsString().contains(b));
        assertEquals(200, get("/compare").statusCode(), "no ids: an empty comparison");
        assertEquals(404, get("/compare?ids=" + a + ",0123456789ab").statusCode());
        assertEquals(404, get("/compare?ids=../x").statusCode());
    }

    @Test
    void thePagesModulesAreRevalidatedSoAnUpgradeIsSeenAtOnce() {
        HttpResponse<Buffer> r = get("/static/run.js");
        assertEquals(200, r.statusCode());
        assertTrue(r.getHeader("Cache-Control").contains("max-age=0"), r.getHeader("Cache-Control"));
        String modified = r.getHeader("Last-Modified");
        HttpResponse<Buffer> again = await(client.get("/static/run.js").putHeader("If-Modified-Since", modified).send());
        assertEquals(304, again.statusCode());
    }

    @Test
    void chartJsIsServedFromItsWebJar() {
        HttpResponse<Buffer> r = get("/webjars/chart.js/4.5.1/dist/chart.umd.js");
        assertEquals(200, r.statusCode());
        assertTrue(r.getHeader("Content-Type").contains("javascript"), r.getHeader("Content-Type"));
    }
}
