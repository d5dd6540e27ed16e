package org.neuralgrid.engine.opencl;

import org.jocl.CL;

/** A kernel program did not compile for the device; the message and {@link #buildLog()} carry the compiler's log. */
public final class OpenClBuildException extends OpenClException {
    private final String buildLog;

    public OpenClBuildException(String program, String device, String options, String buildLog, Throwable cause) {
        super("the OpenCL program " + program + " did not build for " + device + " (options: " + options
                + "):\n" + buildLog, CL.CL_BUILD_PROGRAM_FAILURE, cause);
        this.buildLog = buildLog;
    }

    public String buildLog() {
        return buildLog;
    }
}
