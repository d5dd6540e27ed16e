package org.neuralgrid.engine.opencl;

import org.jocl.CL;
import org.jocl.CLException;

/**
 * An OpenCL call failed. The message says what was being done, names the CL error (CL_OUT_OF_RESOURCES, ...)
 * and, for the usual suspects, what to try.
 */
public class OpenClException extends RuntimeException {
    private final int status;

    public OpenClException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The CL status code (CL.CL_SUCCESS when the failure was found before calling OpenCL). */
    public int status() {
        return status;
    }

    /** "CL_OUT_OF_RESOURCES", ... */
    public String errorName() {
        return errorName(status);
    }

    /** Wraps an exception of JOCL, naming the operation, e.g. wrap("running grid_forward", e). */
    static OpenClException wrap(String doing, CLException e) {
        int status = e.getStatus();
        return new OpenClException("OpenCL failed while " + doing + ": " + errorName(status) + hint(status), status, e);
    }

    static String errorName(int status) {
        if (status == CL.CL_SUCCESS) {
            return "CL_SUCCESS";
        }
        try {
            return CL.stringFor_errorCode(status);
        } catch (LinkageError e) {
            return "CL error " + status;
        }
    }

    private static String hint(int status) {
        return switch (status) {
            case CL.CL_OUT_OF_RESOURCES -> " (the device ran out of resources; some drivers also report a crashed or"
                    + " timed-out kernel this way: try a smaller batch or grid)";
            case CL.CL_MEM_OBJECT_ALLOCATION_FAILURE -> " (the device could not allocate memory: try a smaller batch"
                    + " or grid)";
            case CL.CL_OUT_OF_HOST_MEMORY -> " (the host ran out of memory)";
            case CL.CL_INVALID_BUFFER_SIZE -> " (a buffer is larger than the device allows: try a smaller batch or grid)";
            case CL.CL_DEVICE_NOT_AVAILABLE -> " (the device is not available: it may have been lost or reset)";
            case CL.CL_INVALID_WORK_GROUP_SIZE -> " (the device cannot run a kernel at the chosen work-group size)";
            case CL.CL_BUILD_PROGRAM_FAILURE -> " (a kernel did not compile)";
            case -1001 -> " (no OpenCL platform is installed: CL_PLATFORM_NOT_FOUND_KHR)";
            default -> "";
        };
    }
}
