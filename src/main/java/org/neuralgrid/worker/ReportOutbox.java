package org.neuralgrid.worker;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.neuralgrid.bus.NodeBus;
import org.neuralgrid.bus.NodeReport;
import org.neuralgrid.bus.RunBus;

/**
 * The reports of one run on a worker node, on their way to the dashboard node ({@link NodeBus#REPORTS}): sent one
 * at a time, in order, each until the dashboard acknowledged it. While the dashboard is away (restarting, the
 * network cut) they wait here and are sent again every {@link #RETRY_MILLIS} ms, so a run keeps training and
 * delivers what it buffered when the dashboard is back. A refusal (409: the run is no longer handed to this
 * attempt) drops them and tells {@code onRefused}. Thread-safe: every change happens on the verticle's context.
 */
final class ReportOutbox {
    static final long RETRY_MILLIS = 1_000;
    static final long REPLY_MILLIS = 15_000;
    private static final System.Logger LOG = System.getLogger(ReportOutbox.class.getName());

    private final Vertx vertx;
    private final Context context;
    private final String run;
    private final Runnable onRefused;
    private final AtomicLong bytes;
    private final Deque<NodeReport> waiting = new ArrayDeque<>();
    private long sent;
    private long sentBytes;
    private final List<Promise<Void>> emptied = new ArrayList<>();
    private boolean sending;
    private boolean refused;
    private boolean saidWaiting;

    /**
     * @param bytes counts the bytes of every report sent (a node's total, for its meters and BENCHMARKS.md)
     */
    ReportOutbox(Vertx vertx, Context context, String run, Runnable onRefused, AtomicLong bytes) {
        this.vertx = vertx;
        this.context = context;
        this.run = run;
        this.onRefused = onRefused;
        this.bytes = bytes;
    }

    /** Queues a report; from any thread. */
    void add(NodeReport report) {
        context.runOnContext(v -> {
            if (!refused) {
                waiting.add(report);
                pump();
            }
        });
    }

    /** Sends a report once, not waited for and never again (progress: the next one replaces it). */
    void sendOnce(NodeReport report) {
        context.runOnContext(v -> {
            if (!refused) {
                var buffer = report.encode();
                count(buffer.length());
                vertx.eventBus().send(NodeBus.REPORTS, buffer);
            }
        });
    }

    /** Completes when every report queued so far has been acknowledged (or refused). */
    Future<Void> emptied() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            if (waiting.isEmpty() && !sending) {
                done.complete();
            } else {
                emptied.add(done);
            }
        });
        return done.future();
    }

    /** Reports sent so far, each try counted, and their bytes: {@code "N reports, B bytes"}. */
    String sentText() {
        return sent + " reports, " + sentBytes + " bytes";
    }

    private void count(int length) {
        sent++;
        sentBytes += length;
        bytes.addAndGet(length);
    }

    private void pump() {
        if (sending) {
            return;
        }
        NodeReport next = waiting.peek();
        if (next == null) {
            emptied.forEach(Promise::tryComplete);
            emptied.clear();
            return;
        }
        sending = true;
        var buffer = next.encode();
        vertx.eventBus().request(NodeBus.REPORTS, buffer, new DeliveryOptions().setSendTimeout(REPLY_MILLIS))
                .onComplete(reply -> {
                    sending = false;
                    count(buffer.length());
                    if (reply.succeeded()) {
                        waiting.poll();
                        saidWaiting = false;
                        pump();
                    } else if (reply.cause() instanceof ReplyException e && e.failureCode() == RunBus.CONFLICT) {
                        LOG.log(System.Logger.Level.WARNING, "run " + run + ": the dashboard refused its reports ("
                                + e.getMessage() + "); stopping it here");
                        refused = true;
                        waiting.clear();
                        emptied.forEach(Promise::tryComplete);
                        emptied.clear();
                        onRefused.run();
                    } else {
                        if (!saidWaiting) {
                            saidWaiting = true;
                            LOG.log(System.Logger.Level.INFO, "run " + run + ": the dashboard did not take its "
                                    + next.type() + " report (" + reply.cause().getMessage() + "); keeping "
                                    + waiting.size() + " report(s) and trying again every " + RETRY_MILLIS + " ms");
                        }
                        vertx.setTimer(RETRY_MILLIS, t -> pump());
                    }
                });
    }
}
