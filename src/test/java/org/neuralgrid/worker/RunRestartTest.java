package org.neuralgrid.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.neuralgrid.io.HeatmapFrame;
import org.neuralgrid.bus.RunBus;
import org.neuralgrid.store.RunStore;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class RunRestartTest {
    @TempDir
    Path dataDir;

    @Test
    void finishedRunsKeepMetricsHeatmapsAndWeightsAcrossARestart(Vertx vertx, VertxTestContext ctx) {
        TrainingSide side = new TrainingSide(vertx, dataDir, 1);
        side.deploy()
                .compose(s -> side.start(TrainingSide.tiny()))
                .compose(id -> side.status(id, "completed")
                        .compose(done -> side.undeploy())
                        .compose(v -> side.deploy())
                        .compose(v -> Future.all(side.get(id), side.request(RunBus.METRICS, new JsonObject().put("id", id)),
                                side.requestBuffer(RunBus.HEATMAP, new JsonObject().put("id", id).put("epoch", 0)),
                                side.requestBuffer(RunBus.WEIGHTS, new JsonObject().put("id", id)))))
                .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
                    assertEquals("completed", all.<JsonObject>resultAt(0).getString("status"));
                    assertEquals(2, all.<JsonObject>resultAt(1).getJsonArray("epochs").size());
                    assertEquals(0, HeatmapFrame.decode(all.<Buffer>resultAt(2).getBytes()).epoch());
                    assertTrue(all.<Buffer>resultAt(3).length() > 8);
                    ctx.completeNow();
                })));
    }

    @Test
    void aRunInterruptedByAStopResumesFromItsCheckpointToCompletion(Vertx vertx, VertxTestContext ctx) {
        TrainingSide side = new TrainingSide(vertx, dataDir, 1);
        int epochs = 20;
        AtomicReference<JsonObject> firstEpochBefore = new AtomicReference<>();
        side.deploy()
                .compose(s -> side.start(TrainingSide.tiny(epochs)))
                .compose(id -> side.change(id, run -> run.getInteger("epoch") >= 1)
                        .compose(firstEpoch -> side.undeploy())
                        .compose(v -> side.deploy())
                        .compose(v -> Future.all(side.get(id), metrics(side, id)))
                        .compose(before -> {
                            JsonObject interrupted = before.resultAt(0);
                            ctx.verify(() -> {
                                assertEquals("interrupted", interrupted.getString("status"));
                                assertEquals(RunStore.INTERRUPTED_MESSAGE, interrupted.getString("message"));
                                assertTrue(interrupted.getInteger("epoch") < epochs, "stopped before the end");
                            });
                            firstEpochBefore.set(before.<JsonArray>resultAt(1).getJsonObject(0));
                            return side.request(RunBus.RESUME, new JsonObject().put("id", id));
                        })
                        .compose(resumed -> {
                            ctx.verify(() -> assertTrue(resumed.getString("status").matches("queued|running"),
                                    resumed.encode()));
                            return side.status(id, "completed");
                        })
                        .compose(done -> Future.all(side.get(id), metrics(side, id),
                                side.requestBuffer(RunBus.HEATMAP, new JsonObject().put("id", id).put("epoch", epochs)))))
                .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
                    JsonObject run = all.resultAt(0);
                    assertEquals("completed", run.getString("status"));
                    assertEquals(epochs, run.getInteger("epoch"));
                    JsonArray metrics = all.resultAt(1);
                    assertEquals(epochs, metrics.size());
                    for (int e = 0; e < epochs; e++) {
                        assertEquals(e + 1, metrics.getJsonObject(e).getInteger("epoch"));
                    }
                    // whether epoch 1 is the best changes as later epochs come; its numbers must not
                    JsonObject first = metrics.getJsonObject(0).copy();
                    first.remove("best");
                    JsonObject before = firstEpochBefore.get().copy();
                    before.remove("best");
                    assertEquals(before, first, "epoch 1 came from before the stop, not from training again");
                    assertEquals(epochs, HeatmapFrame.decode(all.<Buffer>resultAt(2).getBytes()).epoch());
                    ctx.completeNow();
                })));
    }

    private static Future<JsonArray> metrics(TrainingSide side, String id) {
        return side.request(RunBus.METRICS, new JsonObject().put("id", id)).map(m -> m.getJsonArray("epochs"));
    }

    @Test
    void queuedRunsAreQueuedAgainAfterARestart(Vertx vertx, VertxTestContext ctx) {
        TrainingSide side = new TrainingSide(vertx, dataDir, 1);
        side.deploy()
                .compose(s -> side.start(TrainingSide.endless()))
                .compose(blocker -> side.start(TrainingSide.tiny())
                        .compose(queued -> side.status(blocker, "running")
                                .compose(v -> side.undeploy())
                                .compose(v -> side.deploy())
                                .compose(v -> side.status(queued, "completed"))
                                .compose(v -> side.get(blocker))))
                .onComplete(ctx.succeeding(blocker -> ctx.verify(() -> {
                    assertEquals("interrupted", blocker.getString("status"), "a run stopped by the server waits for RESUME");
                    ctx.completeNow();
                })));
    }
}
