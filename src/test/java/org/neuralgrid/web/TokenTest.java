package org.neuralgrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A dashboard started with a token: every page, API route and WebSocket needs it. */
class TokenTest extends DashboardTestBase {
    static final String TOKEN = "s3cret-Token_42";

    @BeforeEach
    void startWithToken() {
        start(new ServerOptions("127.0.0.1", 0, dataDir, TOKEN, 1));
    }

    @Test
    void apiRequestsWithoutTheTokenAnswer401Json() {
        HttpResponse<Buffer> none = get("/api/runs");
        assertEquals(401, none.statusCode());
        assertJson(none);
        assertNotNull(none.bodyAsJsonObject().getString("error"));
        assertTrue(none.getHeader("WWW-Authenticate").startsWith("Bearer"));

        assertEquals(401, await(client.get("/api/runs").bearerTokenAuthentication("wrong").send()).statusCode());
        assertEquals(401, await(client.get("/api/runs").bearerTokenAuthentication(TOKEN + "x").send()).statusCode());
        assertEquals(401, await(client.get("/api/runs").addQueryParam("token", "s3cret").send()).statusCode());
        assertEquals(401, await(client.get("/api/runs").putHeader("Cookie", "neuralgrid_token=nope").send())
                .statusCode());
        assertEquals(401, await(client.post("/api/runs").sendJsonObject(tiny())).statusCode());
    }

    @Test
    void theTokenIsAcceptedAsBearerCookieOrQueryParameter() {
        assertEquals(200, await(client.get("/api/runs").bearerTokenAuthentication(TOKEN).send()).statusCode());
        assertEquals(200, await(client.get("/api/runs").putHeader("Cookie", "neuralgrid_token=" + TOKEN).send())
                .statusCode());
        HttpResponse<Buffer> query = await(client.get("/api/runs").addQueryParam("token", TOKEN).send());
        assertEquals(200, query.statusCode());
        assertTrue(query.cookies().isEmpty(), "only pages set the cookie: " + query.cookies());
        HttpResponse<Buffer> created = await(client.post("/api/runs").bearerTokenAuthentication(TOKEN)
                .sendJsonObject(tiny()));
        assertEquals(201, created.statusCode());
    }

    @Test
    void aPageOpenedWithTheTokenSetsAStrictHttpOnlyCookie() {
        HttpResponse<Buffer> page = await(client.get("/").addQueryParam("token", TOKEN).send());

        assertEquals(200, page.statusCode(), page.bodyAsString());
        List<String> cookies = page.cookies();
        assertEquals(1, cookies.size(), cookies.toString());
        String cookie = cookies.get(0);
        assertTrue(cookie.startsWith("neuralgrid_token=" + TOKEN + ";"), cookie);
        assertTrue(cookie.toLowerCase(java.util.Locale.ROOT).contains("httponly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        assertTrue(cookie.contains("Path=/"), cookie);
        String cookieHeader = cookie.substring(0, cookie.indexOf(';'));
        assertEquals(200, await(client.get("/api/runs").putHeader("Cookie", cookieHeader).send()).statusCode());
    }

    @Test
    void pagesWithoutTheTokenAnswerA401Page() {
        HttpResponse<Buffer> page = get("/");
        assertEquals(401, page.statusCode());
        assertTrue(page.getHeader("Content-Type").startsWith("text/html"));
        assertTrue(page.bodyAsString().contains("token"));
        assertEquals(401, get("/runs/0123456789ab").statusCode());
        assertEquals(401, get("/compare?ids=0123456789ab").statusCode());
    }

    @Test
    void healthAndStaticFilesNeedNoToken() {
        assertEquals(200, get("/health").statusCode());
        HttpResponse<Buffer> chart = get("/webjars/chart.js/4.5.1/dist/chart.umd.js");
        assertEquals(200, chart.statusCode());
        assertTrue(chart.body().length() > 10_000);
        assertEquals(200, get("/static/common.js").statusCode());
        assertEquals(404, get("/static/nothing-here.js").statusCode());
    }

    @Test
    void webSocketsWithoutTheTokenAreRefusedBeforeTheUpgrade() {
        String id = await(client.post("/api/runs").bearerTokenAuthentication(TOKEN).sendJsonObject(tiny()))
                .bodyAsJsonObject().getString("id");
        var ws = webSockets();

        Throwable refused = await(ws.connect(dashboard.port(), "127.0.0.1", "/ws/runs/" + id)
                .transform(ar -> Future.succeededFuture(ar.cause())));
        assertEquals(401, assertInstanceOf(UpgradeRejectedException.class, refused).getStatus());
        Throwable wrong = await(ws.connect(dashboard.port(), "127.0.0.1", "/ws/runs/" + id + "?token=nope")
                .transform(ar -> Future.succeededFuture(ar.cause())));
        assertEquals(401, assertInstanceOf(UpgradeRejectedException.class, wrong).getStatus());

        WebSocket byQuery = await(ws.connect(dashboard.port(), "127.0.0.1", "/ws/runs/" + id + "?token=" + TOKEN));
        assertFalse(byQuery.isClosed());
        await(byQuery.close());
        WebSocket byCookie = await(ws.connect(new WebSocketConnectOptions().setPort(dashboard.port())
                .setHost("127.0.0.1").setURI("/ws/runs/" + id).addHeader("Cookie", "neuralgrid_token=" + TOKEN)));
        assertFalse(byCookie.isClosed());
        await(byCookie.close());
    }
}
