package org.neuralgrid.engine.opencl;

import static org.jocl.CL.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;

/**
 * A backend's view of its device: the device's context, shared with the other backends open on it
 * ({@link SharedContexts}), and an in-order command queue of its own, which it owns.
 */
final class ClContext implements AutoCloseable {
    private final OpenClDevice device;
    private final DeviceLimits limits;
    private final cl_context context;
    private final cl_command_queue queue;
    /** Guard mode (see {@link ClBuffer}): every buffer made here gets a guard, checked after each launch. */
    private final boolean guard;
    /** In guard mode, the buffers made here (closed ones are dropped at the next check). */
    private final List<ClBuffer> guarded = new ArrayList<>();
    private boolean closed;

    private ClContext(OpenClDevice device, DeviceLimits limits, cl_context context, cl_command_queue queue,
                      boolean guard) {
        this.device = device;
        this.guard = guard;
        this.limits = limits;
        this.context = context;
        this.queue = queue;
    }

    /** A context on the device, in guard mode when {@code -Dneuralgrid.opencl.guard=true} (see {@link ClBuffer}). */
    static ClContext open(OpenClDevice device) {
        return open(device, ClBuffer.guardRequested());
    }

    /** With guard mode on or off whatever the system property says (tests). */
    @SuppressWarnings("deprecation")   // clCreateCommandQueue: the one call every OpenCL version has
    static ClContext open(OpenClDevice device, boolean guard) {
        CL.setExceptionsEnabled(true);
        cl_context context = null;
        try {
            DeviceLimits limits = DeviceLimits.of(device.deviceId());
            context = SharedContexts.acquire(device);
            cl_command_queue queue = clCreateCommandQueue(context, device.deviceId(), 0, null);
            return new ClContext(device, limits, context, queue, guard);
        } catch (CLException e) {
            if (context != null) {
                SharedContexts.release(device);
            }
            throw OpenClException.wrap("opening " + device, e);
        }
    }

    OpenClDevice device() {
        return device;
    }

    boolean guard() {
        return guard;
    }

    DeviceLimits limits() {
        return limits;
    }

    cl_context context() {
        return context;
    }

    cl_command_queue queue() {
        return queue;
    }

    /** A read-write buffer of {@code bytes} bytes; refuses, with the sizes in the message, what the device cannot hold. */
    ClBuffer buffer(String name, long bytes) {
        if (bytes > limits.maxAllocBytes()) {
            throw new OpenClException(String.format(Locale.ROOT,
                    "the buffer %s needs %d MiB but %s allows at most %d MiB in one buffer: use a smaller batch or"
                            + " grid", name, bytes >> 20, device.name(), limits.maxAllocBytes() >> 20),
                    CL_INVALID_BUFFER_SIZE, null);
        }
        ClBuffer b = new ClBuffer(context, queue, name, bytes, guard);
        if (guard) {
            guarded.add(b);
        }
        return b;
    }

    /**
     * Guard mode (see {@link ClBuffer}): waits for the queue and checks the guard of every live buffer of this
     * context, throwing on the first one that was written past its end. Does nothing when guard mode is off.
     *
     * @param after what was queued last (for the message)
     */
    void checkGuards(String after) {
        if (!guard) {
            return;
        }
        guarded.removeIf(ClBuffer::isClosed);
        if (guarded.isEmpty()) {
            return;
        }
        clFinish(queue);
        for (ClBuffer b : guarded) {
            b.verifyGuard(after);
        }
    }

    /** Hands the queued commands to the device without waiting. */
    void flush() {
        clFlush(queue);
    }

    void finish() {
        clFinish(queue);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            clReleaseCommandQueue(queue);
        } finally {
            SharedContexts.release(device);
        }
    }
}
