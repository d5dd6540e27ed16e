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
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.neuralgrid.bus.NodeBus;
import org.neuralgrid.bus.NodeReport;
import org.neuralgrid.bus.RunBus;

/**
 * The reports of one run on a worker node, on their way to the dashboard node ({@link NodeBus#REPORTS}): sent one
 * at a time, in order, each until the dashboard acknowledged it. While the dashboard is away (restarting, the
 * network cut) they wait here and are sent again every {@link #RETRY_MILLIS} ms, so a run keeps training and
 * delivers what it buffered when the dashboard is back. A refusal (409: the run is no longer handed to this
 * attempt) drops them and tells {@code onRefused}. Thread-safe: every change happens on the verticle's context.
 *
 * <p>What waits is bounded, for a fast GPU run makes megabytes of maps a second: a file queued again replaces the
 * parts of that file still waiting (only its newest version matters), and past {@code maxWaitingBytes} the oldest
 * waiting map frames are dropped (the dashboard then has no maps of those epochs); metrics, files and the end of
 * a run are never dropped.
 */
final class ReportOutbox {
    static final long RETRY_MILLIS = 1_000;
    static final long REPLY_MILLIS = 15_000;
    /** What may wait for the dashboard per run before map frames are dropped. */
    static final long MAX_WAITING_BYTES = 64L << 20;
    private static final System.Logger LOG = System.getLogger(ReportOutbox.class.getName());

    private final Vertx vertx;
    private final Context context;
    private final String run;
    private final Runnable onRefused;
    private final AtomicLong bytes;
    private final long maxWaitingBytes;
    private final Deque<NodeReport> waiting = new ArrayDeque<>();
    private long waitingBytes;
    private long droppedMaps;
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
        this(vertx, context, run, onRefused, bytes, MAX_WAITING_BYTES);
    }

    ReportOutbox(Vertx vertx, Context context, String run, Runnable onRefused, AtomicLong bytes,
                 long maxWaitingBytes) {
        this.maxWaitingBytes = maxWaitingBytes;
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
                if ("file".equals(report.type())) {
                    dropWaiting(r -> "file".equals(r.type())
                            && r.header().getString("name").equals(report.header().getString("name")), () -> true);
                }
                waiting.add(report);
                waitingBytes += size(report);
                if (waitingBytes > maxWaitingBytes) {
                    dropOldestMaps();
                }
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

    /** Removes the waiting reports that match, oldest first, while {@code more} holds; never the one on its way. */
    private int dropWaiting(Predicate<NodeReport> match, BooleanSupplier more) {
        var it = waiting.iterator();
        if (sending && it.hasNext()) {
            it.next();
        }
        int dropped = 0;
        while (it.hasNext() && more.getAsBoolean()) {
            NodeReport r = it.next();
            if (match.test(r)) {
                it.remove();
                waitingBytes -= size(r);
                dropped++;
            }
        }
        return dropped;
    }

    private void dropOldestMaps() {
        boolean first = droppedMaps == 0;
        droppedMaps += dropWaiting(r -> "maps".equals(r.type()), () -> waitingBytes > maxWaitingBytes);
        if (first && droppedMaps > 0) {
            LOG.log(System.Logger.Level.WARNING, "run " + run + ": more than " + (maxWaitingBytes >> 20) + " MiB of"
                    + " reports wait for the dashboard; dropping the oldest map frames (metrics and files are kept)");
        }
    }

    private static long size(NodeReport r) {
        return r.bytes().length + 256L; // the header, about
    }

    /** Map frames dropped so far because too much waited. */
    long droppedMaps() {
        return droppedMaps;
    }

    /** Reports sent so far, each try counted, and their bytes: {@code "N reports, B bytes"}. */
    String sentText() {
        return sent + " reports, " + sentBytes + " bytes"
                + (droppedMaps > 0 ? ", " + droppedMaps + " map frames dropped while the dashboard was away" : "");
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
                        waitingBytes -= size(waiting.poll());
                        saidWaiting = false;
                        pump();
                    } else if (reply.cause() instanceof ReplyException e && e.failureCode() == RunBus.CONFLICT) {
                        LOG.log(System.Logger.Level.WARNING, "run " + run + ": the dashboard refused its reports ("
                                + e.getMessage() + "); stopping it here");
                        refused = true;
                        waiting.clear();
                        waitingBytes = 0;
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
