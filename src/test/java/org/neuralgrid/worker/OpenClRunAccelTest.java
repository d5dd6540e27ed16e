package org.neuralgrid.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.neuralgrid.io.HeatmapFrame;
import org.neuralgrid.bus.RunBus;
import org.neuralgrid.engine.opencl.NeedsOpenCl;
import org.neuralgrid.engine.opencl.OpenClTestDevice;

/**
 * Runs on an OpenCL device through the training worker, as the dashboard starts them. Needs an OpenCL device
 * (PoCL will do); skipped without one unless NEURALGRID_REQUIRE_OPENCL=1.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
@NeedsOpenCl
class OpenClRunAccelTest {
    @TempDir
    Path dataDir;

    @Test
    void a3dRunTrainsOnOpenClAndKeepsItsSheetsAndWeights(Vertx vertx, VertxTestContext ctx) {
        OpenClTestDevice.require();
        TrainingSide side = new TrainingSide(vertx, dataDir, 1);
        JsonObject config = TrainingSide.tiny().put("backend", "opencl").put("gridType", "3d").put("layers", 3);
        side.deploy()
                .compose(s -> side.request(RunBus.START, new JsonObject().put("config", config)))
                .map(reply -> reply.getString("id"))
                .compose(id -> side.status(id, "completed").map(id))
                .compose(id -> Future.all(side.get(id),
                        side.requestBuffer(RunBus.HEATMAP, new JsonObject().put("id", id).put("epoch", 2)),
                        side.requestBuffer(RunBus.WEIGHTS, new JsonObject().put("id", id))))
                .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
                    JsonObject run = all.resultAt(0);
                    assertEquals("opencl", run.getString("backend"));
                    assertTrue(run.getString("device").startsWith("OpenCL"), run.encode());
                    assertEquals("28x28x3", run.getString("grid"));
                    assertTrue(run.getDouble("bestTestAccuracy") > 0.1, run.encode());

                    HeatmapFrame frame = HeatmapFrame.decode(all.<Buffer>resultAt(1).getBytes());
                    assertEquals(3, frame.dims());
                    assertEquals(3, frame.layers());
                    assertEquals(28, frame.rows());
                    assertEquals(28, frame.cols());

                    byte[] weights = all.<Buffer>resultAt(2).getBytes();
                    long length = ByteBuffer.wrap(weights, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
                    String header = new String(weights, 8, (int) length, StandardCharsets.UTF_8);
                    JsonObject tensors = new JsonObject(header);
                    assertEquals("[3,28,28]", tensors.getJsonObject("grid.weight").getJsonArray("shape").encode());
                    assertTrue(!tensors.containsKey("linear_in.weight"), header);
                    ctx.completeNow();
                })));
    }

    @Test
    void aRunPackedBesideThreeOthersOnOneOpenClDeviceGivesBitIdenticalResultsToTheSameRunAlone(Vertx vertx,
            @TempDir Path packed) throws Exception {
        OpenClTestDevice.require();
        RunPackingTest.assertPackedIsAlone(vertx, dataDir, packed, RunPackingTest.overlapping("opencl"));
    }
}
