package org.neuralgrid.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.neuralgrid.bus.RunBus;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class RunFailureTest {
    @TempDir
    Path dataDir;

    @Test
    void aDivergingRunFailsWithAMessageAndTheWorkerKeepsServing(Vertx vertx, VertxTestContext ctx) {
        TrainingSide side = new TrainingSide(vertx, dataDir, 1);
        JsonObject diverging = TrainingSide.tiny().put("width", 32).put("activation", "identity").put("gain", 100)
                .put("lr", 10);
        side.deploy()
                .compose(s -> side.start(diverging))
                .compose(bad -> side.start(TrainingSide.tiny())
                        .compose(good -> Future.all(side.status(bad, "failed"), side.status(good, "completed")))
                        .compose(both -> Future.all(side.get(bad), side.request(RunBus.LIST, new JsonObject()))))
                .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
                    JsonObject failed = all.resultAt(0);
                    assertEquals("failed", failed.getString("status"));
                    assertTrue(failed.getString("message").contains("diverged"), failed.getString("message"));
                    assertNotNull(failed.getString("finished"));
                    assertEquals(2, all.<JsonObject>resultAt(1).getJsonArray("runs").size());
                    ctx.completeNow();
                })));
    }
}
