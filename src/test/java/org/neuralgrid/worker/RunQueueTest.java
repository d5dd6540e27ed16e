package org.neuralgrid.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.neuralgrid.bus.RunBus;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class RunQueueTest {
    @TempDir
    Path dataDir;

    @Test
    void aSecondRunStaysQueuedUntilTheFirstEndsThenStarts(Vertx vertx, VertxTestContext ctx) {
        TrainingSide side = new TrainingSide(vertx, dataDir, 1);
        side.deploy()
                .compose(s -> side.start(TrainingSide.tiny(4)))
                .compose(first -> side.start(TrainingSide.tiny())
                        .compose(second -> side.status(second, "completed")
                                .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
                                    List<String> history = side.statusHistory();
                                    int firstRunning = history.indexOf(first + ":running");
                                    int secondQueued = history.indexOf(second + ":queued");
                                    int firstCompleted = history.indexOf(first + ":completed");
                                    int secondRunning = history.indexOf(second + ":running");
                                    assertTrue(firstRunning >= 0 && secondQueued > firstRunning, history.toString());
                                    assertTrue(firstCompleted > secondQueued, "queued while the first ran: " + history);
                                    assertTrue(secondRunning > firstCompleted, "started after the first ended: " + history);
                                    ctx.completeNow();
                                })))));
    }

    @Test
    void atMostMaxConcurrentRunsTrainAtOnce(Vertx vertx, VertxTestContext ctx) {
        TrainingSide side = new TrainingSide(vertx, dataDir, 2);
        side.deploy()
                .compose(s -> Future.all(side.start(TrainingSide.endless()), side.start(TrainingSide.endless()),
                        side.start(TrainingSide.endless())))
                .compose(ids -> Future.all(side.status(ids.resultAt(0), "running"), side.status(ids.resultAt(1), "running"))
                        .compose(v -> side.get(ids.resultAt(2)))
                        .compose(third -> {
                            ctx.verify(() -> assertEquals("queued", third.getString("status")));
                            return side.request(RunBus.CANCEL, new JsonObject().put("id", ids.resultAt(0)));
                        })
                        .compose(v -> side.status(ids.resultAt(2), "running"))
                        .compose(v -> Future.all(side.request(RunBus.CANCEL, new JsonObject().put("id", ids.resultAt(1))),
                                side.request(RunBus.CANCEL, new JsonObject().put("id", ids.resultAt(2))))))
                .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    void cancellingARunningRunStopsItAsCancelled(Vertx vertx, VertxTestContext ctx) {
        TrainingSide side = new TrainingSide(vertx, dataDir, 1);
        side.deploy()
                .compose(s -> side.start(TrainingSide.endless()))
                .compose(id -> side.status(id, "running")
                        .compose(running -> side.request(RunBus.CANCEL, new JsonObject().put("id", id)))
                        .compose(reply -> {
                            ctx.verify(() -> assertEquals("cancelled", reply.getString("status")));
                            // the slot frees once the training thread has stopped: the next run then trains
                            return side.start(TrainingSide.tiny());
                        })
                        .compose(next -> side.status(next, "completed"))
                        .compose(next -> Future.all(side.get(id),
                                side.refusal(RunBus.CANCEL, new JsonObject().put("id", id))))
                        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
                            JsonObject run = all.resultAt(0);
                            assertEquals("cancelled", run.getString("status"));
                            assertNotNull(run.getString("finished"));
                            assertEquals(RunBus.CONFLICT, all.<ReplyException>resultAt(1).failureCode(),
                                    "a cancelled run cannot be cancelled again");
                            ctx.completeNow();
                        }))));
    }

    @Test
    void cancellingAQueuedRunTakesItOutOfTheQueue(Vertx vertx, VertxTestContext ctx) {
        TrainingSide side = new TrainingSide(vertx, dataDir, 1);
        side.deploy()
                .compose(s -> side.start(TrainingSide.endless()))
                .compose(blocker -> side.start(TrainingSide.tiny())
                        .compose(queued -> side.request(RunBus.CANCEL, new JsonObject().put("id", queued))
                                .compose(reply -> {
                                    ctx.verify(() -> assertEquals("cancelled", reply.getString("status")));
                                    return side.request(RunBus.CANCEL, new JsonObject().put("id", blocker));
                                })
                                .compose(v -> side.start(TrainingSide.tiny()))
                                .compose(last -> side.status(last, "completed"))
                                .compose(v -> side.get(queued))))
                .onComplete(ctx.succeeding(run -> ctx.verify(() -> {
                    assertEquals("cancelled", run.getString("status"));
                    assertEquals(0, run.getInteger("epoch"));
                    assertTrue(side.statusHistory().stream().noneMatch(s -> s.equals(run.getString("id") + ":running")),
                            "it never ran");
                    ctx.completeNow();
                })));
    }
}
