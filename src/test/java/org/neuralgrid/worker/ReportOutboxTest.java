package org.neuralgrid.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neuralgrid.bus.NodeBus;
import org.neuralgrid.bus.NodeReport;
import org.neuralgrid.bus.RunBus;

/**
 * A worker's reports of a run while the dashboard is away: kept and delivered in order once it is back, a file
 * queued again replacing its waiting older version, and past the limit the oldest map frames dropped, never
 * metrics or files; a refusal drops everything and says so.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ReportOutboxTest {
    private static NodeReport report(String type, int bytes, String label) {
        return new NodeReport(new JsonObject().put("type", type).put("run", "0123456789ab").put("attempt", "a")
                .put("name", "checkpoint.safetensors").put("label", label), new byte[bytes]);
    }

    @Test
    void whileTheDashboardIsAwayReportsWaitWithOnlyTheNewestFileAndTheLatestMapsThenArriveInOrder(Vertx vertx)
            throws Exception {
        Context context = vertx.getOrCreateContext();
        ReportOutbox outbox = new ReportOutbox(vertx, context, "0123456789ab", () -> { }, new AtomicLong(), 10_000);
        outbox.add(report("epoch", 0, "epoch 1"));
        outbox.add(report("file", 3_000, "checkpoint of epoch 1"));
        outbox.add(report("maps", 3_000, "maps 1"));
        outbox.add(report("maps", 3_000, "maps 2"));
        outbox.add(report("maps", 3_000, "maps 3"));
        outbox.add(report("file", 3_000, "checkpoint of epoch 2"));
        outbox.add(report("epoch", 0, "epoch 2"));
        Thread.sleep(300); // no dashboard: nothing can be delivered

        List<String> delivered = new CopyOnWriteArrayList<>();
        vertx.eventBus().<Buffer>consumer(NodeBus.REPORTS, m -> {
            delivered.add(NodeReport.decode(m.body()).header().getString("label"));
            m.reply(new JsonObject());
        }).completion().await();
        outbox.emptied().await();
        assertEquals(List.of("epoch 1", "maps 3", "checkpoint of epoch 2", "epoch 2"), delivered);
        assertEquals(2, outbox.droppedMaps());
    }

    @Test
    void aRefusalDropsWhatWaitsAndTellsTheNode(Vertx vertx) throws Exception {
        AtomicLong told = new AtomicLong();
        ReportOutbox outbox = new ReportOutbox(vertx, vertx.getOrCreateContext(), "0123456789ab",
                told::incrementAndGet, new AtomicLong());
        List<String> asked = new CopyOnWriteArrayList<>();
        vertx.eventBus().<Buffer>consumer(NodeBus.REPORTS, m -> {
            asked.add(NodeReport.decode(m.body()).header().getString("label"));
            m.fail(RunBus.CONFLICT, "run 0123456789ab is no longer handed to attempt a");
        }).completion().await();
        outbox.add(report("epoch", 0, "epoch 1"));
        outbox.add(report("epoch", 0, "epoch 2"));
        outbox.emptied().await();
        outbox.add(report("epoch", 0, "epoch 3"));
        Thread.sleep(200);
        assertEquals(List.of("epoch 1"), asked, "nothing is sent after the refusal");
        assertEquals(1, told.get());
    }
}
