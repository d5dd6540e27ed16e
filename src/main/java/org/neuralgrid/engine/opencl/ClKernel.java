package org.neuralgrid.engine.opencl;

import static org.jocl.CL.*;

import java.util.Arrays;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;

/** One kernel of a built program; owned (and released) by its {@link ClProgram}. */
final class ClKernel {
    private final ClContext cl;
    private final String name;
    private final cl_kernel kernel;

    ClKernel(ClContext cl, String name, cl_kernel kernel) {
        this.cl = cl;
        this.name = name;
        this.kernel = kernel;
    }

    String name() {
        return name;
    }

    cl_kernel handle() {
        return kernel;
    }

    /** The largest work-group this kernel can run with on the device (registers, local memory). */
    long maxWorkGroupSize() {
        long[] v = new long[1];
        clGetKernelWorkGroupInfo(kernel, cl.device().deviceId(), CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t,
                Pointer.to(v), null);
        return v[0];
    }

    /** Starts setting arguments, in order: {@code k.args().mem(a).i(n).run(global, local)}. */
    Launch args() {
        return new Launch();
    }

    /** The arguments of one launch, set with a running index. */
    final class Launch {
        private int a;

        Launch mem(ClBuffer b) {
            clSetKernelArg(kernel, a++, Sizeof.cl_mem, Pointer.to(b.mem()));
            return this;
        }

        Launch i(int v) {
            clSetKernelArg(kernel, a++, Sizeof.cl_int, Pointer.to(new int[] {v}));
            return this;
        }

        Launch f(float v) {
            clSetKernelArg(kernel, a++, Sizeof.cl_float, Pointer.to(new float[] {v}));
            return this;
        }

        /** Enqueues at least {@code items} work-items (rounded up to whole work-groups of {@code local}). */
        void run(long items, int local) {
            enqueue(1, new long[] {roundUp(items, local)}, new long[] {local});
        }

        /** A 2D launch: whole work-groups of local x local covering items0 x items1. */
        void run2d(long items0, long items1, int local) {
            enqueue(2, new long[] {roundUp(items0, local), roundUp(items1, local)}, new long[] {local, local});
        }

        private void enqueue(int dims, long[] global, long[] local) {
            try {
                clEnqueueNDRangeKernel(cl.queue(), kernel, dims, null, global, local, 0, null, null);
            } catch (CLException e) {
                throw OpenClException.wrap("launching " + name, e);
            }
            if (cl.guard()) {
                cl.checkGuards("kernel " + name + " (global " + Arrays.toString(global) + ", local "
                        + Arrays.toString(local) + ")");
            }
        }
    }

    static long roundUp(long n, long m) {
        return (n + m - 1) / m * m;
    }
}
