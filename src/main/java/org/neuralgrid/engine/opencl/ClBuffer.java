package org.neuralgrid.engine.opencl;

import static org.jocl.CL.*;

import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_mem;

/** One device buffer; the owner of its cl_mem. Reads and writes are blocking and start at the buffer's start. */
final class ClBuffer implements AutoCloseable {
    private final cl_command_queue queue;
    private final String name;
    private final long bytes;
    private final cl_mem mem;
    private boolean closed;

    /** A buffer of the context, read and written through the queue (see {@code ClContext#buffer}). */
    ClBuffer(cl_context context, cl_command_queue queue, String name, long bytes) {
        this.queue = queue;
        this.name = name;
        this.bytes = bytes;
        // OpenCL has no empty buffers
        this.mem = clCreateBuffer(context, CL_MEM_READ_WRITE, Math.max(bytes, 4), null, null);
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
