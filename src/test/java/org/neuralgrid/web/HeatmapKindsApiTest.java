package org.neuralgrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neuralgrid.io.HeatmapFrame;
import org.neuralgrid.io.MapKind;

/** GET /api/runs/{id}/heatmaps/{epoch}: every kind of map, as the frame or as the numbers behind it. */
class HeatmapKindsApiTest extends DashboardTestBase {
    private String id;

    @BeforeEach
    void aFinishedRun() {
        start();
        id = createRun(tiny());
        awaitStatus(id, "completed");
    }

    private HttpResponse<Buffer> heatmap(int epoch, String query) {
        return get("/api/runs/" + id + "/heatmaps/" + epoch + query);
    }

    @Test
    void eachKindIsServedAsAFrameOfThatKindAndMeanIsTheDefault() {
        for (MapKind kind : MapKind.values()) {
            HttpResponse<Buffer> r = heatmap(2, "?kind=" + kind.id());
            assertEquals(200, r.statusCode(), kind.id() + ": " + r.bodyAsString());
            assertEquals("application/octet-stream", r.getHeader("Content-Type"));
            HeatmapFrame frame = HeatmapFrame.decode(r.body().getBytes());
            assertEquals(kind, frame.kind());
            assertEquals(2, frame.epoch());
            assertEquals(kind.maps(), frame.classes());
            assertEquals(16, frame.rows());
            assertEquals(8, frame.cols());
        }
        assertEquals(heatmap(2, "?kind=mean").body(), heatmap(2, "").body());
    }

    @Test
    void aKindThatAnOlderRunHasNoFrameOfIs404() throws Exception {
        Path heatmaps = dataDir.resolve("runs").resolve(id).resolve("heatmaps");
        try (var frames = Files.list(heatmaps)) {
            for (Path f : frames.toList()) {
                if (!f.getFileName().toString().startsWith("epoch-")) {
                    Files.delete(f);   // what a run of an earlier version has: the mean maps alone
                }
            }
        }
        assertEquals(200, heatmap(1, "").statusCode());
        HttpResponse<Buffer> std = heatmap(1, "?kind=std");
        assertEquals(404, std.statusCode());
        assertTrue(std.bodyAsJsonObject().getString("error").contains("no std heatmap of epoch 1"), std.bodyAsString());
        assertEquals(404, heatmap(1, "?kind=weights&format=npy").statusCode());
    }

    @Test
    void anUnknownKindOrFormatIs400NamingWhatThereIs() {
        HttpResponse<Buffer> kind = heatmap(1, "?kind=median");
        assertEquals(400, kind.statusCode());
        JsonObject error = kind.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0);
        assertEquals("kind", error.getString("field"));
        assertTrue(error.getString("message").contains("mean, std, contrast, weights, biases"), error.encode());
        HttpResponse<Buffer> format = heatmap(1, "?format=png");
        assertEquals(400, format.statusCode());
        assertEquals("format", format.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"));
    }

    @Test
    void npyIsFloat32OfShapeMapsLayersRowsColsWithTheFramesValues() {
        for (MapKind kind : new MapKind[] {MapKind.CONTRAST, MapKind.BIASES}) {
            HttpResponse<Buffer> r = heatmap(3, "?kind=" + kind.id() + "&format=npy");
            assertEquals(200, r.statusCode(), r.bodyAsString());
            assertEquals("attachment; filename=\"neuralgrid-" + id + "-" + kind.id() + "-epoch-3.npy\"",
                    r.getHeader("Content-Disposition"));
            byte[] npy = r.body().getBytes();
            assertEquals("NUMPY", new String(npy, 1, 5, StandardCharsets.US_ASCII));
            int headerLength = ByteBuffer.wrap(npy, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
            String header = new String(npy, 10, headerLength, StandardCharsets.US_ASCII);
            assertTrue(header.contains("'descr': '<f4'") && header.contains("'shape': (" + kind.maps()
                    + ", 1, 16, 8)"), header);
            assertEquals(10 + headerLength + 4 * kind.maps() * 16 * 8, npy.length);
            HeatmapFrame frame = HeatmapFrame.decode(heatmap(3, "?kind=" + kind.id()).body().getBytes());
            float first = ByteBuffer.wrap(npy, 10 + headerLength, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
            assertEquals(frame.value(0), first);
        }
    }

    @Test
    void csvHasAHeaderRowAndOneRowPerCell() {
        for (MapKind kind : new MapKind[] {MapKind.STD, MapKind.WEIGHTS}) {
            HttpResponse<Buffer> r = heatmap(3, "?kind=" + kind.id() + "&format=csv");
            assertEquals(200, r.statusCode(), r.bodyAsString());
            assertTrue(r.getHeader("Content-Type").startsWith("text/csv"), r.getHeader("Content-Type"));
            String[] lines = r.bodyAsString().split("\n");
            assertEquals("map,layer,row,col,value", lines[0]);
            assertEquals(1 + kind.maps() * 16 * 8, lines.length, kind.id());
            assertTrue(lines[lines.length - 1].startsWith((kind.maps() - 1) + ",0,15,7,"), lines[lines.length - 1]);
        }
    }
}
