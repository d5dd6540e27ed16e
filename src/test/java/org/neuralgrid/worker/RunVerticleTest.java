package org.neuralgrid.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.neuralgrid.io.HeatmapFrame;
import org.neuralgrid.io.MapKind;
import org.neuralgrid.bus.RunBus;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class RunVerticleTest {
    private static final String UNKNOWN_ID = "0123456789ab";

    @TempDir
    Path dataDir;

    @Test
    void aRunPublishesItsStatusesEpochsAndHeatmaps(Vertx vertx, VertxTestContext ctx) {
        TrainingSide side = new TrainingSide(vertx, dataDir, 1);
        Checkpoint heatmaps = ctx.checkpoint(3 * 5); // epochs 0, 1, 2: every kind, in kind order
        Checkpoint epochs = ctx.checkpoint(2);
        Checkpoint completed = ctx.checkpoint();
        AtomicInteger nextFrame = new AtomicInteger();
        AtomicInteger nextEpoch = new AtomicInteger(1);
        List<String> statuses = new ArrayList<>();
        side.deploy()
                // a long run holds the queue, so that the watched run is subscribed to before it starts
                .compose(s -> side.start(TrainingSide.endless()))
                .compose(blocker -> side.start(TrainingSide.tiny()).compose(id -> {
                    MessageConsumer<JsonObject> events = vertx.eventBus().consumer(RunBus.events(id), m -> ctx.verify(() -> {
                        JsonObject e = m.body();
                        switch (e.getString("type")) {
                            case "status" -> {
                                statuses.add(e.getString("status"));
                                assertEquals(id, e.getString("id"));
                                if (e.getString("status").equals("completed")) {
                                    assertEquals(List.of("running", "completed"), statuses);
                                    assertEquals(2, e.getInteger("epoch"));
                                    completed.flag();
                                }
                            }
                            case "epoch" -> {
                                assertEquals(nextEpoch.getAndIncrement(), e.getInteger("epoch"));
                                for (String f : List.of("trainLoss", "trainAccuracy", "testLoss", "testAccuracy",
                                        "learningRate", "seconds", "samplesPerSecond")) {
                                    assertNotNull(e.getDouble(f), f);
                                }
                                epochs.flag();
                            }
                            case "progress" -> assertEquals(2, e.getInteger("epochs"));
                            case "summary" -> assertEquals(id, e.getString("id"));
                            default -> throw new AssertionError("unexpected event " + e);
                        }
                    }));
                    MessageConsumer<Buffer> frames = vertx.eventBus().consumer(RunBus.heatmaps(id), m -> ctx.verify(() -> {
                        HeatmapFrame frame = HeatmapFrame.decode(m.body().getBytes());
                        int n = nextFrame.getAndIncrement();
                        assertEquals(n / 5, frame.epoch());
                        assertEquals(MapKind.values()[n % 5], frame.kind());
                        assertEquals(frame.kind().maps(), frame.classes());
                        assertEquals(1, frame.layers());
                        assertEquals(16, frame.rows());
                        assertEquals(8, frame.cols());
                        heatmaps.flag();
                    }));
                    return Future.all(events.completion(), frames.completion())
                            .compose(v -> side.get(id))
                            .compose(queued -> {
                                ctx.verify(() -> assertEquals("queued", queued.getString("status")));
                                return side.request(RunBus.CANCEL, new JsonObject().put("id", blocker));
                            });
                }))
                .onFailure(ctx::failNow);
    }

    @Test
    void aFinishedRunAnswersGetListMetricsHeatmapAndWeights(Vertx vertx, VertxTestContext ctx) {
        TrainingSide side = new TrainingSide(vertx, dataDir, 1);
        side.deploy()
                .compose(s -> side.request(RunBus.START, new JsonObject().put("name", "  tiny one  ")
                        .put("config", TrainingSide.tiny())))
                .map(reply -> reply.getString("id"))
                .compose(id -> side.status(id, "completed").map(id))
                .compose(id -> Future.all(side.get(id), side.request(RunBus.LIST, new JsonObject()),
                                side.request(RunBus.METRICS, new JsonObject().put("id", id)),
                                side.requestBuffer(RunBus.HEATMAP, new JsonObject().put("id", id).put("epoch", 2)),
                                side.requestBuffer(RunBus.WEIGHTS, new JsonObject().put("id", id)),
                                side.refusal(RunBus.HEATMAP, new JsonObject().put("id", id).put("epoch", 3)))
                        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
                            JsonObject run = all.resultAt(0);
                            assertEquals(id, run.getString("id"));
                            assertEquals("tiny one", run.getString("name"));
                            assertEquals("completed", run.getString("status"));
                            assertEquals(2, run.getInteger("epoch"));
                            assertEquals(2, run.getInteger("epochs"));
                            assertEquals(1.0, run.getDouble("progress"));
                            assertTrue(run.getDouble("bestTestAccuracy") > 0.1);
                            assertEquals("16x8", run.getString("grid"));
                            assertEquals("java", run.getString("backend"));
                            assertNotNull(run.getString("device"));
                            assertNotNull(run.getString("created"));
                            assertNotNull(run.getString("started"));
                            assertNotNull(run.getString("finished"));
                            assertNull(run.getString("message"));
                            assertEquals(16, run.getJsonObject("config").getInteger("height"));
                            assertEquals("synthetic", run.getJsonObject("config").getString("dataset"));

                            JsonArray runs = all.<JsonObject>resultAt(1).getJsonArray("runs");
                            assertEquals(1, runs.size());
                            assertEquals(id, runs.getJsonObject(0).getString("id"));
                            assertFalse(runs.getJsonObject(0).containsKey("config"));

                            JsonObject metrics = all.resultAt(2);
                            assertEquals(id, metrics.getString("id"));
                            JsonArray epochs = metrics.getJsonArray("epochs");
                            assertEquals(2, epochs.size());
                            assertEquals(1, epochs.getJsonObject(0).getInteger("epoch"));
                            assertEquals(0.003, epochs.getJsonObject(1).getDouble("learningRate"), 1e-12);

                            HeatmapFrame frame = HeatmapFrame.decode(all.<Buffer>resultAt(3).getBytes());
                            assertEquals(2, frame.epoch());
                            assertEquals(16, frame.rows());

                            byte[] weights = all.<Buffer>resultAt(4).getBytes();
                            long headerLength = ByteBuffer.wrap(weights, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
                            assertTrue(headerLength > 0 && headerLength < weights.length - 8);
                            String header = new String(weights, 8, (int) headerLength, StandardCharsets.UTF_8);
                            assertTrue(header.startsWith("{") && header.contains("\"grid.weight\""), header);

                            assertEquals(RunBus.NOT_FOUND, all.<ReplyException>resultAt(5).failureCode());
                            ctx.completeNow();
                        }))));
    }

    @Test
    void theHeatmapRequestTakesAKindAndRefusesAnUnknownOneNamingTheKinds(Vertx vertx, VertxTestContext ctx) {
        TrainingSide side = new TrainingSide(vertx, dataDir, 1);
        side.deploy()
                .compose(s -> side.request(RunBus.START, new JsonObject().put("config", TrainingSide.tiny())))
                .map(reply -> reply.getString("id"))
                .compose(id -> side.status(id, "completed").map(id))
                .compose(id -> {
                    JsonObject epoch2 = new JsonObject().put("id", id).put("epoch", 2);
                    List<Future<?>> asked = new ArrayList<>();
                    for (MapKind kind : MapKind.values()) {
                        asked.add(side.requestBuffer(RunBus.HEATMAP, epoch2.copy().put("kind", kind.id())));
                    }
                    asked.add(side.refusal(RunBus.HEATMAP, epoch2.copy().put("kind", "median")));
                    asked.add(side.refusal(RunBus.HEATMAP, epoch2.copy().put("kind", 3)));
                    return Future.all(asked);
                })
                .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
                    for (MapKind kind : MapKind.values()) {
                        HeatmapFrame frame = HeatmapFrame.decode(all.<Buffer>resultAt(kind.ordinal()).getBytes());
                        assertEquals(kind, frame.kind());
                        assertEquals(2, frame.epoch());
                        assertEquals(kind.maps(), frame.classes());
                    }
                    for (int i = 5; i < 7; i++) {
                        ReplyException refused = all.resultAt(i);
                        assertEquals(RunBus.BAD_REQUEST, refused.failureCode());
                        assertTrue(refused.getMessage().contains("mean, std, contrast, weights, biases"),
                                refused.getMessage());
                    }
                    ctx.completeNow();
                })));
    }

    @Test
    void invalidConfigurationsAreRefusedWithAnErrorPerField(Vertx vertx, VertxTestContext ctx) {
        TrainingSide side = new TrainingSide(vertx, dataDir, 1);
        JsonObject limits = TrainingSide.tiny().put("kernel", 4).put("epochs", 20_000).put("backend", "cuda");
        side.deploy()
                .compose(s -> Future.all(
                        side.refusal(RunBus.START, new JsonObject().put("config", limits)),
                        side.refusal(RunBus.START, new JsonObject().put("config", TrainingSide.tiny().put("activation", "swish"))),
                        side.refusal(RunBus.START, new JsonObject().put("config", TrainingSide.tiny().put("backend", "opencl:99"))),
                        side.refusal(RunBus.START, new JsonObject().put("config", TrainingSide.tiny().put("colour", "red")))))
                .compose(all -> side.request(RunBus.LIST, new JsonObject()).map(list -> {
                    ctx.verify(() -> {
                        assertEquals(Set.of("kernel", "epochs", "backend"), fields(all.resultAt(0)));
                        assertEquals(Set.of("activation"), fields(all.resultAt(1)));
                        assertEquals(Set.of("backend"), fields(all.resultAt(2)));
                        assertEquals(Set.of("colour"), fields(all.resultAt(3)));
                        assertTrue(list.getJsonArray("runs").isEmpty(), "nothing was stored");
                    });
                    return list;
                }))
                .onComplete(ctx.succeedingThenComplete());
    }

    /** The fields named by a 400 reply, each with a message. */
    private static Set<String> fields(ReplyException e) {
        assertEquals(RunBus.BAD_REQUEST, e.failureCode(), e.getMessage());
        JsonArray errors = new JsonObject(e.getMessage()).getJsonArray("errors");
        Set<String> fields = new TreeSet<>();
        for (int i = 0; i < errors.size(); i++) {
            JsonObject error = errors.getJsonObject(i);
            assertFalse(error.getString("message").isBlank());
            fields.add(error.getString("field"));
        }
        return fields;
    }

    @Test
    void unknownRunsAreNotFound(Vertx vertx, VertxTestContext ctx) {
        TrainingSide side = new TrainingSide(vertx, dataDir, 1);
        List<String> addresses = List.of(RunBus.GET, RunBus.METRICS, RunBus.CANCEL, RunBus.RESUME, RunBus.DELETE,
                RunBus.WEIGHTS);
        side.deploy()
                .compose(s -> {
                    List<Future<ReplyException>> all = new ArrayList<>();
                    for (String address : addresses) {
                        all.add(side.refusal(address, new JsonObject().put("id", UNKNOWN_ID)));
                        all.add(side.refusal(address, new JsonObject().put("id", "../../etc/passwd")));
                    }
                    all.add(side.refusal(RunBus.HEATMAP, new JsonObject().put("id", UNKNOWN_ID).put("epoch", 0)));
                    all.add(side.refusal(RunBus.GET, new JsonObject()));
                    return Future.all(all).map(v -> all);
                })
                .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
                    for (int i = 0; i < all.size() - 1; i++) {
                        assertEquals(RunBus.NOT_FOUND, all.get(i).result().failureCode(), all.get(i).result().getMessage());
                    }
                    assertEquals(RunBus.BAD_REQUEST, all.get(all.size() - 1).result().failureCode(), "no id at all");
                    ctx.completeNow();
                })));
    }

    @Test
    void deletingARunRemovesItsRowsAndFiles(Vertx vertx, VertxTestContext ctx) {
        TrainingSide side = new TrainingSide(vertx, dataDir, 1);
        side.deploy()
                .compose(s -> side.start(TrainingSide.tiny()))
                .compose(id -> side.status(id, "completed").map(id))
                .compose(id -> side.request(RunBus.DELETE, new JsonObject().put("id", id)).map(id))
                .compose(id -> side.refusal(RunBus.GET, new JsonObject().put("id", id)).map(e -> {
                    ctx.verify(() -> {
                        assertEquals(RunBus.NOT_FOUND, e.failureCode());
                        assertFalse(Files.exists(dataDir.resolve("runs").resolve(id)));
                    });
                    return e;
                }))
                .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    void devicesAndDatasetsAreListed(Vertx vertx, VertxTestContext ctx) {
        TrainingSide side = new TrainingSide(vertx, dataDir, 1);
        side.deploy()
                .compose(s -> Future.all(side.request(RunBus.DEVICES, new JsonObject()),
                        side.request(RunBus.DATASETS, new JsonObject())))
                .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
                    JsonArray devices = all.<JsonObject>resultAt(0).getJsonArray("devices");
                    Set<String> javaDevices = devices.stream().map(JsonObject.class::cast)
                            .filter(d -> d.getString("backend").equals("java") && d.getBoolean("available"))
                            .map(d -> d.getString("name")).collect(Collectors.toSet());
                    assertEquals(1, javaDevices.size(), devices.encode());
                    JsonObject fashion = all.<JsonObject>resultAt(1).getJsonObject("fashionMnist");
                    assertEquals(Boolean.FALSE, fashion.getBoolean("present"));
                    assertEquals(Boolean.FALSE, fashion.getBoolean("fetching"));
                    assertTrue(fashion.containsKey("message") && fashion.containsKey("fraction"));
                    ctx.completeNow();
                })));
    }
}
