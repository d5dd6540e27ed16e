package org.neuralgrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Web pages of other sites can neither reach a token-less dashboard nor act through a visitor's browser. */
class RequestOriginTest extends DashboardTestBase {

    @BeforeEach
    void startDashboard() {
        start();
    }

    @Test
    void withoutATokenOnlyLoopbackHostNamesAreAnswered() {
        HttpResponse<Buffer> rebound = await(client.get("/api/runs").virtualHost("attacker.example").send());
        assertEquals(403, rebound.statusCode());
        assertJson(rebound);
        assertEquals(200, await(client.get("/api/runs").virtualHost("localhost").send()).statusCode());
    }

    @Test
    void changesFromAnotherOriginAreRefused() {
        String self = "http://127.0.0.1:" + dashboard.port();
        HttpResponse<Buffer> foreign = await(client.post("/api/runs").putHeader("Origin", "http://attacker.example")
                .sendJsonObject(tiny()));
        assertEquals(403, foreign.statusCode());
        assertEquals(403, await(client.post("/api/runs").putHeader("Origin", "null").sendJsonObject(tiny()))
                .statusCode());
        assertEquals(403, await(client.post("/api/runs").putHeader("Origin", "http://127.0.0.1:1")
                .sendJsonObject(tiny())).statusCode());
        assertEquals(201, await(client.post("/api/runs").putHeader("Origin", self).sendJsonObject(tiny()))
                .statusCode());
        assertEquals(200, await(client.get("/api/runs").putHeader("Origin", "http://attacker.example").send())
                .statusCode(), "reads are left to the browser's same-origin policy");
    }

    @Test
    void webSocketsFromAnotherOriginAreRefused() {
        String id = createRun(tiny());
        Throwable refused = await(webSockets().connect(new WebSocketConnectOptions()
                        .setPort(dashboard.port()).setHost("127.0.0.1").setURI("/ws/runs/" + id)
                        .addHeader("Origin", "http://attacker.example"))
                .transform(ar -> Future.succeededFuture(ar.cause())));
        assertEquals(403, assertInstanceOf(UpgradeRejectedException.class, refused).getStatus());
    }
}
