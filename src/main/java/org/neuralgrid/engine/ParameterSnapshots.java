package org.neuralgrid.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.neuralgrid.model.Parameters;

/**
 * Copies of a training run's live parameters, asked for from any thread and made by the training thread between
 * two steps, where the parameters hold still: a snapshot never races a step, and taking one changes nothing the
 * run computes (the run's result is the same with or without them).
 *
 * <pre>{@code
 * ParameterSnapshots snapshots = new ParameterSnapshots();
 * new Trainer(...).serving(snapshots).train(start, stop);      // on the training thread
 * snapshots.request().thenAccept(s -> probe(s.parameters()));  // anywhere
 * }</pre>
 */
public final class ParameterSnapshots {
    private final ConcurrentLinkedQueue<CompletableFuture<Snapshot>> pending = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;
    /** The parameters while no step runs (an epoch's evaluation and pictures): requests get them at once. */
    private volatile Snapshot still;

    /** The parameters after {@code batch} steps of epoch {@code epoch} (batch 0: at the epoch's start). */
    public record Snapshot(int epoch, int batch, Parameters parameters) {
    }

    /** A snapshot at the next step boundary; fails with an IllegalStateException once training has ended. */
    public CompletableFuture<Snapshot> request() {
        Snapshot now = still;
        if (now != null) {
            return CompletableFuture.completedFuture(now);
        }
        CompletableFuture<Snapshot> f = new CompletableFuture<>();
        pending.add(f);
        if (closed) {
            failPending();
        }
        return f;
    }

    /** Called by the training thread just before a step: answers every request waiting. */
    void serve(Backend backend, int epoch, int batch) {
        still = null;
        if (!pending.isEmpty()) {
            answer(new Snapshot(epoch, batch, backend.parameters()));
        }
    }

    /**
     * Called by the training thread when its steps stop for a while (an epoch's evaluation and pictures): answers
     * the requests waiting and keeps the parameters for those to come until the next step. Returns them.
     */
    Snapshot holdStill(Backend backend, int epoch, int batch) {
        Snapshot s = new Snapshot(epoch, batch, backend.parameters());
        still = s;
        answer(s);
        return s;
    }

    /** What {@link #holdStill} holds, or null while steps run. */
    Snapshot still() {
        return still;
    }

    private void answer(Snapshot s) {
        CompletableFuture<Snapshot> f;
        while ((f = pending.poll()) != null) {
            f.complete(s);
        }
    }

    /** Training has ended: requests waiting and to come fail, and the caller reads the saved weights instead. */
    public void close() {
        closed = true;
        still = null;
        failPending();
    }

    private void failPending() {
        CompletableFuture<Snapshot> f;
        while ((f = pending.poll()) != null) {
            f.completeExceptionally(new IllegalStateException("the run is no longer training"));
        }
    }
}
