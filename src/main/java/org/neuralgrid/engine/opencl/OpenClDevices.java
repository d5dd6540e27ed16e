package org.neuralgrid.engine.opencl;

import static org.jocl.CL.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;
import org.neuralgrid.engine.BackendUnavailableException;
import org.neuralgrid.model.BackendSpec;

/**
 * The OpenCL devices of this machine, in one flat list over all platforms (the order of "opencl:N" and of the
 * device list the CLI and the dashboard show), and the choice of a device for a --backend value.
 */
public final class OpenClDevices {
    private static volatile Scan cached;

    private OpenClDevices() {
    }

    /**
     * What a search for devices found.
     *
     * @param devices the devices, flat over all platforms
     * @param problem why there are none (no OpenCL library, no platform, ...), or null when some were found
     */
    public record Scan(List<OpenClDevice> devices, String problem) {
        public Scan {
            devices = List.copyOf(devices);
        }

        public static Scan none(String problem) {
            return new Scan(List.of(), problem);
        }
    }

    /** The devices found; empty when OpenCL is missing or has none. Never throws. */
    public static List<OpenClDevice> list() {
        return scan().devices();
    }

    /** Searches once per process (devices do not come and go while it runs) and remembers the answer. */
    public static Scan scan() {
        Scan s = cached;
        if (s == null) {
            synchronized (OpenClDevices.class) {
                s = cached;
                if (s == null) {
                    s = query();
                    cached = s;
                }
            }
        }
        return s;
    }

    private static Scan query() {
        try {
            CL.setExceptionsEnabled(true);
            int[] count = new int[1];
            clGetPlatformIDs(0, null, count);
            if (count[0] == 0) {
                return Scan.none("no OpenCL platform is installed");
            }
            cl_platform_id[] platforms = new cl_platform_id[count[0]];
            clGetPlatformIDs(platforms.length, platforms, null);
            List<OpenClDevice> found = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            for (cl_platform_id platform : platforms) {
                String platformName = platformInfo(platform, CL_PLATFORM_NAME);
                try {
                    int[] n = new int[1];
                    clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, n);
                    cl_device_id[] devices = new cl_device_id[n[0]];
                    clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, devices.length, devices, null);
                    for (cl_device_id d : devices) {
                        found.add(new OpenClDevice(found.size(), deviceInfo(d, CL_DEVICE_NAME).trim(),
                                deviceInfo(d, CL_DEVICE_VENDOR).trim(), typeName(d),
                                DeviceLimits.ulong(d, CL_DEVICE_GLOBAL_MEM_SIZE), platformName, platform, d));
                    }
                } catch (CLException e) {
                    problems.add(platformName + ": " + OpenClException.errorName(e.getStatus()));
                }
            }
            return found.isEmpty()
                    ? Scan.none("no OpenCL device was found" + (problems.isEmpty() ? "" : " (" + problems + ")"))
                    : new Scan(found, null);
        } catch (CLException e) {
            return Scan.none("OpenCL lists no platform (" + OpenClException.errorName(e.getStatus())
                    + "): is an OpenCL driver (ICD) installed?");
        } catch (LinkageError e) {
            return Scan.none("the OpenCL library could not be loaded (" + e + "): install an OpenCL ICD loader"
                    + " (libOpenCL.so.1) and a driver");
        }
    }

    /**
     * The device a spec asks for. "auto": the first GPU, or empty (use the Java backend). "opencl": the first GPU,
     * else the first device of any type. "opencl:N": the N-th device of the flat list.
     *
     * @throws BackendUnavailableException when an "opencl" spec cannot be met, with what was found
     */
    public static Optional<OpenClDevice> select(BackendSpec spec, Scan scan) {
        List<OpenClDevice> devices = scan.devices();
        Optional<OpenClDevice> gpu = devices.stream().filter(OpenClDevice::isGpu).findFirst();
        if (spec.isAuto()) {
            return gpu;
        }
        if (spec.kind() != BackendSpec.Kind.OPENCL) {
            throw new IllegalArgumentException("not an OpenCL spec: " + spec);
        }
        if (!spec.namesDevice()) {
            if (devices.isEmpty()) {
                throw new BackendUnavailableException("--backend opencl: " + scan.problem()
                        + "; use --backend java (or auto)");
            }
            return Optional.of(gpu.orElse(devices.get(0)));
        }
        if (spec.index() >= devices.size()) {
            throw new BackendUnavailableException("--backend " + spec + ": there is no OpenCL device " + spec.index()
                    + (devices.isEmpty() ? " (" + scan.problem() + ")"
                    : "; found " + devices.size() + ": " + devices));
        }
        return Optional.of(devices.get(spec.index()));
    }

    private static String typeName(cl_device_id d) {
        long[] type = new long[1];
        clGetDeviceInfo(d, CL_DEVICE_TYPE, Sizeof.cl_ulong, Pointer.to(type), null);
        if ((type[0] & CL_DEVICE_TYPE_GPU) != 0) {
            return "GPU";
        }
        if ((type[0] & CL_DEVICE_TYPE_CPU) != 0) {
            return "CPU";
        }
        if ((type[0] & CL_DEVICE_TYPE_ACCELERATOR) != 0) {
            return "ACCELERATOR";
        }
        return "OTHER";
    }

    static String deviceInfo(cl_device_id d, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(d, param, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        clGetDeviceInfo(d, param, bytes.length, Pointer.to(bytes), null);
        return cString(bytes);
    }

    private static String platformInfo(cl_platform_id p, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(p, param, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        clGetPlatformInfo(p, param, bytes.length, Pointer.to(bytes), null);
        return cString(bytes);
    }

    static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }
}
