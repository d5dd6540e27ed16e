package org.neuralgrid.engine.opencl;

import static org.jocl.CL.*;

import java.util.Arrays;
import java.util.Locale;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_mem;

/**
 * One device buffer; the owner of its cl_mem. Reads and writes are blocking and start at the buffer's start.
 *
 * <p><b>Guard mode</b> ({@code -Dneuralgrid.opencl.guard=true}, e.g. {@code java -Dneuralgrid.opencl.guard=true
 * -jar neuralgrid.jar check --backend opencl}): every buffer is allocated {@link #GUARD_BYTES} larger, the extra
 * bytes after its end are filled with {@link #GUARD_PATTERN}, and after every kernel launch the queue is finished
 * and the guards of all live buffers of the context are read back; a changed guard byte throws an
 * {@link IllegalStateException} naming the buffer, the launch (kernel, global and local size) and how far past
 * the end the first and last changed bytes are. It finds a kernel writing past the end of a buffer (which on a
 * GPU silently corrupts whatever lies there, and may bring the driver or the JVM down far from the cause) on any
 * device, PoCL included. Slow (a wait and a read per buffer per launch): for tests and soak runs only. Off (the
 * default) it costs nothing: the buffers have their exact sizes and no check runs.
 */
final class ClBuffer implements AutoCloseable {
    /** The system property that turns guard mode on. */
    static final String GUARD_PROPERTY = "neuralgrid.opencl.guard";
    /** Bytes of guard after each buffer in guard mode. */
    static final int GUARD_BYTES = 64 << 10;
    /** What the guard bytes hold (no float or int a kernel computes is likely to be 0xA5A5A5A5). */
    static final byte GUARD_PATTERN = (byte) 0xA5;

    private final cl_command_queue queue;
    private final String name;
    private final long bytes;
    private final cl_mem mem;
    private final boolean guarded;
    private boolean closed;

    /**
     * A buffer of the context, read and written through the queue (see {@code ClContext#buffer}), with a guard
     * after its end when {@code guarded} (see the class comment).
     */
    ClBuffer(cl_context context, cl_command_queue queue, String name, long bytes, boolean guarded) {
        this.queue = queue;
        this.name = name;
        this.bytes = bytes;
        this.guarded = guarded;
        // OpenCL has no empty buffers
        this.mem = clCreateBuffer(context, CL_MEM_READ_WRITE, guarded ? bytes + GUARD_BYTES : Math.max(bytes, 4),
                null, null);
        if (guarded) {
            byte[] guard = new byte[GUARD_BYTES];
            Arrays.fill(guard, GUARD_PATTERN);
            try {
                clEnqueueWriteBuffer(queue, mem, CL_TRUE, bytes, GUARD_BYTES, Pointer.to(guard), 0, null, null);
            } catch (RuntimeException e) {
                clReleaseMemObject(mem);
                throw e;
            }
        }
    }

    /** Whether guard mode is asked for ({@value #GUARD_PROPERTY}); read when a context opens. */
    static boolean guardRequested() {
        return Boolean.getBoolean(GUARD_PROPERTY);
    }

    boolean guarded() {
        return guarded;
    }

    /**
     * Guard mode: throws when a byte of the guard after the buffer's end changed since it was made. Reads the
     * guard with a blocking read, so it sees every command queued before (call after the queue finished).
     *
     * @param after what ran last, for the message (a kernel launch)
     */
    void verifyGuard(String after) {
        if (!guarded || closed) {
            return;
        }
        byte[] guard = new byte[GUARD_BYTES];
        clEnqueueReadBuffer(queue, mem, CL_TRUE, bytes, GUARD_BYTES, Pointer.to(guard), 0, null, null);
        int first = -1, last = -1, changed = 0;
        for (int i = 0; i < guard.length; i++) {
            if (guard[i] != GUARD_PATTERN) {
                if (first < 0) {
                    first = i;
                }
                last = i;
                changed++;
            }
        }
        if (first >= 0) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "out-of-bounds write: %s after %s: %d of the %d guard bytes after the buffer's %d bytes changed,"
                            + " from byte %d to byte %d past its end (floats %d..%d past it)",
                    this, after, changed, GUARD_BYTES, bytes, first, last, first / 4, last / 4));
        }
    }

    cl_mem mem() {
        return mem;
    }

    long bytes() {
        return bytes;
    }

    String name() {
        return name;
    }

    void write(float[] data) {
        write(Pointer.to(data), (long) data.length * Sizeof.cl_float);
    }

    void write(int[] data) {
        write(Pointer.to(data), (long) data.length * Sizeof.cl_int);
    }

    void write(byte[] data) {
        write(Pointer.to(data), data.length);
    }

    private void write(Pointer p, long size) {
        requireFits(size);
        if (size > 0) {
            clEnqueueWriteBuffer(queue, mem, CL_TRUE, 0, size, p, 0, null, null);
        }
    }

    /** Reads the first data.length floats. */
    void read(float[] data) {
        read(Pointer.to(data), (long) data.length * Sizeof.cl_float);
    }

    void read(int[] data) {
        read(Pointer.to(data), (long) data.length * Sizeof.cl_int);
    }

    private void read(Pointer p, long size) {
        requireFits(size);
        if (size > 0) {
            clEnqueueReadBuffer(queue, mem, CL_TRUE, 0, size, p, 0, null, null);
        }
    }

    /** Fills the buffer with zero bytes (queued, not waited for). */
    void zero() {
        if (bytes > 0) {
            clEnqueueFillBuffer(queue, mem, Pointer.to(new int[] {0}), Sizeof.cl_int, 0, bytes / 4 * 4, 0,
                    null, null);
        }
    }

    private void requireFits(long size) {
        if (size > bytes) {
            throw new IllegalArgumentException(name + ": " + size + " bytes do not fit its " + bytes);
        }
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            clReleaseMemObject(mem);
        }
    }

    @Override
    public String toString() {
        return "buffer " + name;
    }
}
