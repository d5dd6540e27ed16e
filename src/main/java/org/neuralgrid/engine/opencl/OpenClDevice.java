package org.neuralgrid.engine.opencl;

import java.util.Locale;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;
import org.neuralgrid.model.BackendSpec;

/**
 * An OpenCL device as found on this machine.
 *
 * @param index       position in the flat list over all platforms: "opencl:index" picks it
 * @param name        CL_DEVICE_NAME
 * @param vendor      CL_DEVICE_VENDOR
 * @param type        "GPU", "CPU", "ACCELERATOR" or "OTHER"
 * @param memoryBytes CL_DEVICE_GLOBAL_MEM_SIZE
 * @param platform    CL_PLATFORM_NAME of its platform
 * @param platformId  JOCL handle (null in tests of the device choice)
 * @param deviceId    JOCL handle (null in tests of the device choice)
 */
public record OpenClDevice(int index, String name, String vendor, String type, long memoryBytes, String platform,
                           cl_platform_id platformId, cl_device_id deviceId) {

    public boolean isGpu() {
        return "GPU".equals(type);
    }

    /** The --backend value that picks this device. */
    public BackendSpec spec() {
        return BackendSpec.device(BackendSpec.Kind.OPENCL, index);
    }

    /** "GPU, NVIDIA Corporation, 79.1 GiB, platform NVIDIA CUDA". */
    public String note() {
        return String.format(Locale.ROOT, "%s, %s, %.1f GiB, platform %s", type, vendor,
                memoryBytes / (double) (1L << 30), platform);
    }

    @Override
    public String toString() {
        return spec() + " " + name + " (" + note() + ")";
    }
}
