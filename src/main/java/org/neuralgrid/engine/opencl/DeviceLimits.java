package org.neuralgrid.engine.opencl;

import static org.jocl.CL.*;

import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;

/** What a device allows, as far as the kernels' sizes are concerned. */
record DeviceLimits(long maxWorkGroupSize, long localMemBytes, long maxAllocBytes, long globalMemBytes,
                    int computeUnits) {

    static DeviceLimits of(cl_device_id device) {
        return new DeviceLimits(
                sizeT(device, CL_DEVICE_MAX_WORK_GROUP_SIZE),
                ulong(device, CL_DEVICE_LOCAL_MEM_SIZE),
                ulong(device, CL_DEVICE_MAX_MEM_ALLOC_SIZE),
                ulong(device, CL_DEVICE_GLOBAL_MEM_SIZE),
                (int) uint(device, CL_DEVICE_MAX_COMPUTE_UNITS));
    }

    static long sizeT(cl_device_id device, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(device, param, Sizeof.size_t, Pointer.to(v), null);
        return v[0];
    }

    static long ulong(cl_device_id device, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(device, param, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }

    static long uint(cl_device_id device, int param) {
        int[] v = new int[1];
        clGetDeviceInfo(device, param, Sizeof.cl_uint, Pointer.to(v), null);
        return v[0] & 0xffffffffL;
    }
}
