package org.neuralgrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/runs/{id}/probe}: one image (a test image by index, 784 numbers, or a picture) through a run's
 * model, live while it trains or from its saved weights; {@code GET /api/runs/{id}/test-images} to pick from.
 * Bad images are a 400 that says why.
 */
class ProbeApiTest extends DashboardTestBase {

    @Test
    void aTestImageOfAFinishedRunGivesProbabilitiesItsGridAndTheSaliencyOfAClass() {
        start();
        String id = createRun(tiny());
        awaitStatus(id, "completed");
        HttpResponse<Buffer> list = get("/api/runs/" + id + "/test-images?class=3&count=5");
        assertEquals(200, list.statusCode(), list.bodyAsString());
        JsonArray samples = list.bodyAsJsonObject().getJsonArray("samples");
        assertEquals(5, samples.size());
        JsonObject first = samples.getJsonObject(0);
        assertEquals(3, first.getInteger("label"));
        assertEquals(784, first.getJsonArray("pixels").size());

        JsonObject probe = probe(id, new JsonObject().put("testIndex", first.getInteger("index")).put("class", 3));
        assertEquals("final", probe.getString("which"));
        assertEquals(3, probe.getInteger("label"));
        assertEquals(3, probe.getInteger("class"));
        double sum = 0;
        for (Object p : probe.getJsonArray("probabilities")) {
            sum += ((Number) p).doubleValue();
        }
        assertEquals(1, sum, 1e-9);
        JsonObject grid = probe.getJsonObject("grid");
        int cells = grid.getInteger("layers") * grid.getInteger("rows") * grid.getInteger("cols");
        assertEquals(16 * 8, cells, "the tiny run's 16x8 grid");
        assertEquals(cells, probe.getJsonArray("activations").size());
        assertEquals(cells, probe.getJsonArray("cellSaliency").size());
        assertEquals(784, probe.getJsonArray("pixelSaliency").size());
        for (int m = 0; m < 784; m++) {
            assertEquals(first.getJsonArray("pixels").getInteger(m) / 255.0,
                    probe.getJsonArray("pixels").getDouble(m), 1e-6, "the image as the model sees it");
        }
        assertEquals("best", probe(id, new JsonObject().put("testIndex", 0).put("which", "best")).getString("which"));
    }

    @Test
    void pixelsGivenAsNumbersAreProbedAndTheSaliencyFollowsThePredictedClass() {
        start();
        String id = createRun(tiny());
        awaitStatus(id, "completed");
        JsonArray px = new JsonArray();
        for (int m = 0; m < 784; m++) {
            px.add((m % 28) / 27.0);
        }
        JsonObject probe = probe(id, new JsonObject().put("pixels", px));
        assertEquals(probe.getInteger("predicted"), probe.getInteger("class"));
        assertEquals(null, probe.getValue("label"));
    }

    @Test
    void aPictureIsScaledTo28x28GreyAndInvertedWhenItsGroundIsLight() throws IOException {
        start();
        String id = createRun(tiny());
        awaitStatus(id, "completed");
        BufferedImage picture = new BufferedImage(56, 84, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 56, 84);
        g.setColor(Color.BLACK);
        g.fillRect(14, 21, 28, 42);
        g.dispose();
        HttpResponse<Buffer> r = await(client.post("/api/runs/" + id + "/probe").addQueryParam("class", "2")
                .putHeader("Content-Type", "image/png").sendBuffer(Buffer.buffer(png(picture))));
        assertEquals(200, r.statusCode(), r.bodyAsString());
        JsonObject probe = r.bodyAsJsonObject();
        assertTrue(probe.getBoolean("inverted"), "a dark object on white is inverted");
        assertEquals(new JsonObject().put("width", 56).put("height", 84), probe.getJsonObject("source"));
        assertEquals(2, probe.getInteger("class"));
        JsonArray px = probe.getJsonArray("pixels");
        assertEquals(0, px.getDouble(0), 1e-6, "the letterbox stays dark");
        assertEquals(1, px.getDouble(14 * 28 + 14), 0.05, "the dark square became light");
        assertEquals(0, px.getDouble(14 * 28 + 6), 0.05, "the light ground became dark");
    }

    @Test
    void badImagesAndBadRequestsAre400WithAReasonAndTheServerGoesOn() {
        start();
        String id = createRun(tiny());
        awaitStatus(id, "completed");
        assertBad(probeResponse(id, new JsonObject().put("pixels", new JsonArray().add(0.5))), "784");
        JsonArray tooBright = new JsonArray();
        for (int m = 0; m < 784; m++) {
            tooBright.add(m == 5 ? 2.0 : 0.5);
        }
        assertBad(probeResponse(id, new JsonObject().put("pixels", tooBright)), "pixel 5");
        assertBad(probeResponse(id, new JsonObject().put("testIndex", 1_000_000)), "outside");
        assertBad(probeResponse(id, new JsonObject().put("testIndex", 1).put("class", 12)), "class");
        assertBad(probeResponse(id, new JsonObject()), "pixels");
        HttpResponse<Buffer> garbage = await(client.post("/api/runs/" + id + "/probe")
                .putHeader("Content-Type", "image/png").sendBuffer(Buffer.buffer("not a picture at all")));
        assertBad(garbage, "image");
        HttpResponse<Buffer> huge = await(client.post("/api/runs/" + id + "/probe")
                .putHeader("Content-Type", "image/png").sendBuffer(Buffer.buffer(new byte[5 << 20])));
        assertEquals(413, huge.statusCode());
        assertTrue(huge.bodyAsString().contains(Integer.toString(RunsApi.MAX_PROBE_BODY)), huge.bodyAsString());
        assertEquals(409, probeResponse(id, new JsonObject().put("testIndex", 1).put("which", "live")).statusCode(),
                "a finished run has no live parameters");
        assertEquals(200, get("/health").statusCode());
    }

    @Test
    void aRunInTrainingIsProbedWithItsLiveParameters() {
        start();
        String id = createRun(endless());
        awaitStatus(id, "running");
        JsonObject probe = probe(id, new JsonObject().put("testIndex", 0));
        assertEquals("live", probe.getString("which"));
        assertTrue(probe.getInteger("epoch") >= 1, probe.encode());
        assertEquals(200, post("/api/runs/" + id + "/cancel").statusCode());
    }

    private JsonObject probe(String id, JsonObject body) {
        HttpResponse<Buffer> r = probeResponse(id, body);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject();
    }

    private HttpResponse<Buffer> probeResponse(String id, JsonObject body) {
        return post("/api/runs/" + id + "/probe", body);
    }

    private static void assertBad(HttpResponse<Buffer> r, String mentions) {
        assertEquals(400, r.statusCode(), r.bodyAsString());
        assertTrue(r.bodyAsString().contains(mentions), "the reason mentions " + mentions + ": " + r.bodyAsString());
    }

    private static byte[] png(BufferedImage picture) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(picture, "png", out);
        return out.toByteArray();
    }
}
