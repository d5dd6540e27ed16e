package org.neuralgrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.neuralgrid.io.HeatmapFrame;

/** What a dashboard served is served again by the next dashboard on the same data folder. */
class PersistenceTest extends DashboardTestBase {

    @Test
    void aNewServerOnTheSameDataFolderServesTheFinishedRun() {
        start();
        String id = createRun(tiny());
        JsonObject before = awaitStatus(id, "completed");
        Buffer weightsBefore = get("/api/runs/" + id + "/weights").body();
        int oldPort = dashboard.port();
        stop();

        start();
        assertTrue(dashboard.port() > 0);
        JsonObject after = get("/api/runs/" + id).bodyAsJsonObject();
        assertEquals("completed", after.getString("status"));
        assertEquals(before.getDouble("bestTestAccuracy"), after.getDouble("bestTestAccuracy"));
        assertEquals(3, get("/api/runs/" + id + "/metrics").bodyAsJsonObject().getJsonArray("epochs").size());
        HttpResponse<Buffer> heatmap = get("/api/runs/" + id + "/heatmaps/3");
        assertEquals(200, heatmap.statusCode());
        assertEquals(3, HeatmapFrame.decode(heatmap.body().getBytes()).epoch());
        HttpResponse<Buffer> weights = get("/api/runs/" + id + "/weights");
        assertEquals(200, weights.statusCode());
        assertEquals(weightsBefore, weights.body());
        assertEquals(200, get("/runs/" + id).statusCode());
        assertTrue(oldPort > 0);
    }
}
