package org.neuralgrid.engine.opencl;

import static org.jocl.CL.*;

import java.util.ArrayDeque;
import org.jocl.cl_event;

/**
 * Keeps the host a few training steps ahead of the device, no more. Steps are queued without waiting, so the
 * host's launch overhead hides behind the device's work; but an unbounded queue would let a whole epoch be
 * queued in a blink and make the trainer's timings and progress reports meaningless. A marker event after each
 * step is the handle to wait on; this class owns those events.
 */
final class StepPacer implements AutoCloseable {
    private final ClContext cl;
    private final int maxAhead;
    private final ArrayDeque<cl_event> inFlight = new ArrayDeque<>();

    StepPacer(ClContext cl, int maxAhead) {
        this.cl = cl;
        this.maxAhead = maxAhead;
    }

    /** Call after queueing a step: hands it to the device and waits for the step maxAhead steps back. */
    void stepQueued() {
        cl_event marker = new cl_event();
        clEnqueueMarkerWithWaitList(cl.queue(), 0, null, marker);
        inFlight.add(marker);
        cl.flush();
        while (inFlight.size() > maxAhead) {
            cl_event oldest = inFlight.poll();
            try {
                clWaitForEvents(1, new cl_event[] {oldest});
            } finally {
                clReleaseEvent(oldest);
            }
        }
    }

    @Override
    public void close() {
        AutoCloseable[] releases = inFlight.stream()
                .map(e -> (AutoCloseable) () -> clReleaseEvent(e))
                .toArray(AutoCloseable[]::new);
        inFlight.clear();
        Releaser.closeAll(releases);
    }
}
