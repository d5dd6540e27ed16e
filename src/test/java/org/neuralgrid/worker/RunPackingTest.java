package org.neuralgrid.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.neuralgrid.bus.RunBus;
import org.neuralgrid.store.RunStore;

/** Several runs training at once on one device, each giving what it gives alone. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class RunPackingTest {
    private static final long WAIT_SECONDS = 100;

    @TempDir
    Path alone;
    @TempDir
    Path packed;

    /** Long enough (a second or two) that four started together overlap. */
    static JsonObject overlapping(String backend) {
        return TrainingSide.tiny().put("backend", backend).put("samples", 2048).put("height", 32).put("width", 16)
                .put("epochs", 3).put("seed", 7);
    }

    @Test
    void aRunPackedBesideThreeOthersOnTheCpuGivesBitIdenticalWeightsAndMetricsToTheSameRunAlone(Vertx vertx)
            throws Exception {
        assertPackedIsAlone(vertx, alone, packed, overlapping("java"));
    }

    /**
     * Trains {@code config} alone on one training side, and on another with three different runs started beside
     * it (four at once), and compares: the same weights, byte for byte, and the same metrics but for the times.
     */
    static void assertPackedIsAlone(Vertx vertx, Path aloneDir, Path packedDir, JsonObject config) throws Exception {
        TrainingSide one = new TrainingSide(vertx, aloneDir, 1);
        one.deploy().await(WAIT_SECONDS, TimeUnit.SECONDS);
        String single = one.start(config).await(WAIT_SECONDS, TimeUnit.SECONDS);
        one.status(single, "completed").await(WAIT_SECONDS, TimeUnit.SECONDS);
        JsonArray aloneMetrics = metricsWithoutTimes(one, single);
        one.undeploy().await(WAIT_SECONDS, TimeUnit.SECONDS); // both answer the same addresses

        TrainingSide four = new TrainingSide(vertx, packedDir, 4);
        four.deploy().await(WAIT_SECONDS, TimeUnit.SECONDS);
        List<String> ids = new ArrayList<>();
        ids.add(four.start(config).await(WAIT_SECONDS, TimeUnit.SECONDS));
        for (int seed = 1; seed <= 3; seed++) {
            ids.add(four.start(config.copy().put("seed", seed).put("kernel", 5)).await(WAIT_SECONDS, TimeUnit.SECONDS));
        }
        String twin = ids.get(0);
        four.status(twin, "running").await(WAIT_SECONDS, TimeUnit.SECONDS);
        JsonArray sharedWith = four.get(twin).await(WAIT_SECONDS, TimeUnit.SECONDS).getJsonArray("sharedWith");
        Future.all(ids.stream().map(id -> four.status(id, "completed")).toList()).await(WAIT_SECONDS, TimeUnit.SECONDS);

        assertFalse(sharedWith.isEmpty(), "the run trained beside the others");
        assertArrayEquals(Files.readAllBytes(weights(aloneDir, single)), Files.readAllBytes(weights(packedDir, twin)),
                "weights packed and alone");
        assertEquals(aloneMetrics, metricsWithoutTimes(four, twin));
        four.undeploy().await(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static Path weights(Path dataDir, String id) {
        return dataDir.resolve(RunStore.RUNS).resolve(id).resolve("weights.safetensors");
    }

    private static JsonArray metricsWithoutTimes(TrainingSide side, String id) throws Exception {
        JsonArray epochs = side.request(RunBus.METRICS, new JsonObject().put("id", id))
                .await(WAIT_SECONDS, TimeUnit.SECONDS).getJsonArray("epochs");
        epochs.forEach(e -> {
            ((JsonObject) e).remove("seconds");
            ((JsonObject) e).remove("samplesPerSecond");
        });
        return epochs;
    }
}
