package org.neuralgrid.engine.opencl;

import org.jocl.Sizeof;

/**
 * Loss sums and correct counts that stay on the device: each batch (or evaluation chunk) writes one slot, and
 * the host reads the used slots only when asked, adding them in double. When the slots run out they are read
 * and folded into the host's sums once, so any number of batches fits.
 */
final class MetricSlots implements AutoCloseable {
    final ClBuffer loss;      // (capacity) float
    final ClBuffer correct;   // (capacity) int
    private final int capacity;
    private int used;
    private double foldedLoss;
    private long foldedCorrect;

    MetricSlots(ClContext cl, String name, int capacity) {
        this.capacity = Math.max(1, capacity);
        this.loss = cl.buffer(name + " loss", (long) this.capacity * Sizeof.cl_float);
        ClBuffer c;
        try {
            c = cl.buffer(name + " correct", (long) this.capacity * Sizeof.cl_int);
        } catch (RuntimeException e) {
            loss.close();
            throw e;
        }
        this.correct = c;
    }

    /** Starts again from zero. */
    void reset() {
        used = 0;
        foldedLoss = 0;
        foldedCorrect = 0;
    }

    /** The slot the next batch writes. */
    int next() {
        if (used == capacity) {
            Sums s = read();
            foldedLoss = s.loss();
            foldedCorrect = s.correct();
            used = 0;
        }
        return used++;
    }

    record Sums(double loss, long correct) {
    }

    /** Everything written since {@link #reset()}: reads the used slots (waits for the queue to get there). */
    Sums read() {
        double l = foldedLoss;
        long c = foldedCorrect;
        if (used > 0) {
            float[] ls = new float[used];
            int[] cs = new int[used];
            loss.read(ls);
            correct.read(cs);
            for (int i = 0; i < used; i++) {
                l += ls[i];
                c += cs[i];
            }
        }
        return new Sums(l, c);
    }

    @Override
    public void close() {
        Releaser.closeAll(correct, loss);
    }
}
