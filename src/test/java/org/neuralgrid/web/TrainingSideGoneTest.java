package org.neuralgrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.Test;

/** The HTTP side on its own: what it says while no training side answers on the bus. */
class TrainingSideGoneTest extends DashboardTestBase {

    @Test
    void withoutTheTrainingSideRequestsAnswer503AndHealthStillAnswers() {
        HttpVerticle http = new HttpVerticle(loopback(), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        await(vertx.deployVerticle(http));
        client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(http.actualPort()));

        assertEquals(200, get("/health").statusCode());
        for (String path : java.util.List.of("/api/runs", "/api/runs/0123456789ab", "/api/devices")) {
            HttpResponse<Buffer> r = get(path);
            assertEquals(503, r.statusCode(), path);
            assertJson(r);
            assertTrue(r.bodyAsJsonObject().getString("error").contains("training side"), r.bodyAsString());
        }
        HttpResponse<Buffer> page = get("/");
        assertEquals(503, page.statusCode());
        assertTrue(page.getHeader("Content-Type").startsWith("text/html"));
        assertEquals(405, await(client.put("/api/runs").send()).statusCode());
        assertJson(await(client.put("/api/runs").send()));
    }
}
