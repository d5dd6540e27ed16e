package org.neuralgrid.worker;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.neuralgrid.bus.RunBus;

/**
 * The training side as the web side sees it in tests: a {@link RunVerticle} on a data folder, reached only over
 * the event bus, with every {@link RunBus#CHANGED} summary recorded from the start so that no test races the
 * runs it watches.
 */
final class TrainingSide {
    /** Two epochs of a few hundredths of a second each, once the JIT has warmed up. */
    static JsonObject tiny() {
        return new JsonObject().put("dataset", "synthetic").put("samples", 512).put("testSamples", 128)
                .put("height", 16).put("width", 8).put("batch", 64).put("epochs", 2).put("backend", "java")
                .put("lr", 0.003).put("threads", 1);
    }

    /** The tiny run for many epochs, with a checkpoint after every epoch. */
    static JsonObject tiny(int epochs) {
        return tiny().put("epochs", epochs).put("checkpointEvery", 1);
    }

    /** A run that trains until it is cancelled or stopped (minutes). */
    static JsonObject endless() {
        return tiny(10_000);
    }

    private final Vertx vertx;
    private final Path dataDir;
    private final int maxConcurrent;
    private final List<JsonObject> changes = new ArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private String deployment;

    private record Waiter(String id, Predicate<JsonObject> condition, Promise<JsonObject> promise) {
    }

    TrainingSide(Vertx vertx, Path dataDir, int maxConcurrent) {
        this.vertx = vertx;
        this.dataDir = dataDir;
        this.maxConcurrent = maxConcurrent;
        vertx.eventBus().<JsonObject>consumer(RunBus.CHANGED, m -> changed(m.body()));
    }

    Future<TrainingSide> deploy() {
        JsonObject config = new JsonObject().put(RunVerticle.DATA_DIR, dataDir.toString())
                .put(RunVerticle.MAX_CONCURRENT, maxConcurrent);
        return vertx.deployVerticle(new RunVerticle(),
                        new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setConfig(config))
                .map(id -> {
                    deployment = id;
                    return this;
                });
    }

    Future<Void> undeploy() {
        return vertx.undeploy(deployment);
    }

    Future<JsonObject> request(String address, JsonObject body) {
        return vertx.eventBus().<JsonObject>request(address, body).map(m -> m.body());
    }

    Future<Buffer> requestBuffer(String address, JsonObject body) {
        return vertx.eventBus().<Buffer>request(address, body).map(m -> m.body());
    }

    /** The failure a request must end in. */
    Future<ReplyException> refusal(String address, JsonObject body) {
        return vertx.eventBus().request(address, body).transform(ar -> ar.succeeded()
                ? Future.failedFuture(new AssertionError(address + " " + body + " should have failed, got "
                        + ar.result().body()))
                : Future.succeededFuture((ReplyException) ar.cause()));
    }

    Future<String> start(JsonObject config) {
        return request(RunBus.START, new JsonObject().put("config", config)).map(r -> r.getString("id"));
    }

    Future<JsonObject> get(String id) {
        return request(RunBus.GET, new JsonObject().put("id", id));
    }

    /** The first CHANGED summary of run {@code id}, past or future, that has the status. */
    Future<JsonObject> status(String id, String status) {
        return change(id, s -> status.equals(s.getString("status")));
    }

    /** The first CHANGED summary of run {@code id}, past or future, that meets the condition. */
    synchronized Future<JsonObject> change(String id, Predicate<JsonObject> condition) {
        for (JsonObject s : changes) {
            if (s.getString("id").equals(id) && condition.test(s)) {
                return Future.succeededFuture(s);
            }
        }
        Promise<JsonObject> p = Promise.promise();
        waiters.add(new Waiter(id, condition, p));
        return p.future();
    }

    /** The statuses run {@code id} went through, in order, as "id:status" entries of all runs. */
    synchronized List<String> statusHistory() {
        List<String> history = new ArrayList<>();
        for (JsonObject s : changes) {
            String entry = s.getString("id") + ":" + s.getString("status");
            if (history.isEmpty() || !history.get(history.size() - 1).equals(entry)) {
                history.add(entry);
            }
        }
        return history;
    }

    private void changed(JsonObject summary) {
        List<Promise<JsonObject>> met = new ArrayList<>();
        synchronized (this) {
            changes.add(summary);
            waiters.removeIf(w -> {
                if (w.id().equals(summary.getString("id")) && w.condition().test(summary)) {
                    met.add(w.promise());
                    return true;
                }
                return false;
            });
        }
        met.forEach(p -> p.tryComplete(summary));
    }
}
