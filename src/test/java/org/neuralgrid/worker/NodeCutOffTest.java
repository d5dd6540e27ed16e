package org.neuralgrid.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.neuralgrid.bus.NodeBus;
import org.neuralgrid.bus.RunBus;
import org.neuralgrid.cluster.Membership;
import org.neuralgrid.cluster.NodeVerticle;

/**
 * A worker node the cluster has lost (its membership ended: a network cut) while it in fact trains on: the
 * dashboard turns its run interrupted back to the last checkpoint it holds, refuses every later report of that
 * attempt, and the node, told so, stops the run; nothing more is trained into it. Dashboard and node share one
 * Vert.x here (the bus is the same; the processes and Hazelcast are {@code ClusterTrainingIT}'s), and the test
 * says "left" as the cluster manager would.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class NodeCutOffTest {
    @TempDir
    Path dir;

    @Test
    void aCutOffNodesReportsAreRefusedItStopsAndTheRunWaitsForAnotherNode(Vertx vertx) throws Exception {
        String node = cluster(vertx, true);
        TrainingSide side = new TrainingSide(vertx, dir.resolve("dashboard"), 0);
        String id = side.start(TrainingSide.endless()).await();
        side.change(id, run -> run.getInteger("epoch") >= 2).await();
        vertx.eventBus().publish(NodeBus.LEFT, new JsonObject().put("node", node));

        JsonObject interrupted = side.status(id, "interrupted").await();
        assertTrue(interrupted.getString("message").contains("left the cluster during training"), interrupted.encode());
        assertTrue(side.statusHistory().contains(id + ":interrupted"));
        awaitStatus(side, id, "queued");
        int kept = epochs(side, id);
        awaitNoRuns(vertx, node);
        Thread.sleep(1_500);
        assertEquals("queued", side.get(id).await().getString("status"), "no other node: it waits");
        assertEquals(kept, epochs(side, id), "nothing the cut-off node trained afterwards reached the run");
    }

    @Test
    void withoutResumeElsewhereTheRunOfANodeThatLeftStaysInterrupted(Vertx vertx) throws Exception {
        String node = cluster(vertx, false);
        TrainingSide side = new TrainingSide(vertx, dir.resolve("dashboard"), 0);
        String id = side.start(TrainingSide.endless()).await();
        side.change(id, run -> run.getInteger("epoch") >= 1).await();
        vertx.eventBus().publish(NodeBus.LEFT, new JsonObject().put("node", node));

        JsonObject interrupted = side.status(id, "interrupted").await();
        assertTrue(interrupted.getString("message").endsWith("resume continues from its last checkpoint"),
                interrupted.encode());
        awaitNoRuns(vertx, node);
        assertEquals("interrupted", side.get(id).await().getString("status"));
    }

    /**
     * Deploys the dashboard's training side as a cluster's ({@link RunVerticle#CLUSTER}) and one worker node (its
     * training side and its announcements); returns the node's id.
     */
    private String cluster(Vertx vertx, boolean resumeElsewhere) {
        Membership alone = Membership.alone();
        String node = alone.nodeId();
        TrainingNodeVerticle training = new TrainingNodeVerticle(node);
        JsonObject dashboard = new JsonObject().put(RunVerticle.DATA_DIR, dir.resolve("dashboard").toString())
                .put(RunVerticle.MAX_CONCURRENT, 0).put(RunVerticle.CLUSTER, true)
                .put(RunVerticle.RESUME_ELSEWHERE, resumeElsewhere);
        Future.all(
                vertx.deployVerticle(new RunVerticle(), new DeploymentOptions()
                        .setThreadingModel(ThreadingModel.WORKER).setConfig(dashboard)),
                vertx.deployVerticle(training, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
                        .setConfig(new JsonObject().put(TrainingNodeVerticle.DATA_DIR, dir.resolve("node").toString())
                                .put(TrainingNodeVerticle.MAX_CONCURRENT, 1))))
                .compose(v -> vertx.deployVerticle(new NodeVerticle(NodeBus.WORKER, "127.0.0.1", alone,
                        Duration.ofSeconds(60), "", training::status)))
                .await();
        return node;
    }

    private static void awaitStatus(TrainingSide side, String id, String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!status.equals(side.get(id).await().getString("status"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("run " + id + " never became " + status + ": " + side.statusHistory());
            }
            Thread.sleep(50);
        }
    }

    private static int epochs(TrainingSide side, String id) {
        return side.request(RunBus.METRICS, new JsonObject().put("id", id)).await().getJsonArray("epochs").size();
    }

    /** Until the node's announcement lists no run (it stopped the refused one and let it go). */
    private static void awaitNoRuns(Vertx vertx, String node) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject a = vertx.eventBus().<JsonObject>request(NodeBus.node(node), new JsonObject()).await().body();
            if (a.getJsonArray("runs").isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("node " + node + " still holds its run 30 s after the dashboard refused it");
    }
}
