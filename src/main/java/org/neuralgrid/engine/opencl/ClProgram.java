package org.neuralgrid.engine.opencl;

import static org.jocl.CL.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_device_id;
import org.jocl.cl_program;

/**
 * A program built for one device, and its kernels; the owner of the cl_program and every cl_kernel made from it
 * (kernels are released before the program). Sources come from the classpath (kernels/*.cl), so they load the
 * same from a jar; several files form one program, in the order given.
 */
final class ClProgram implements AutoCloseable {
    private final ClContext cl;
    private final String name;
    private final cl_program program;
    private final Map<String, ClKernel> kernels = new LinkedHashMap<>();
    private boolean closed;

    private ClProgram(ClContext cl, String name, cl_program program) {
        this.cl = cl;
        this.name = name;
        this.program = program;
    }

    /** Builds classpath resources such as "kernels/grid.cl" into one program. */
    static ClProgram fromResources(ClContext cl, List<String> resources, String options) {
        List<String> sources = new ArrayList<>();
        for (String r : resources) {
            sources.add(resource(r));
        }
        return build(cl, String.join(" + ", resources), sources, options);
    }

    /**
     * Compiles and links {@code sources} for the context's device.
     *
     * @throws OpenClBuildException with the compiler's log when a source does not compile
     */
    static ClProgram build(ClContext cl, String name, List<String> sources, String options) {
        cl_program program;
        try {
            program = clCreateProgramWithSource(cl.context(), sources.size(), sources.toArray(String[]::new), null,
                    null);
        } catch (CLException e) {
            throw OpenClException.wrap("creating the program " + name, e);
        }
        cl_device_id device = cl.device().deviceId();
        try {
            clBuildProgram(program, 1, new cl_device_id[] {device}, options, null, null);
            return new ClProgram(cl, name, program);
        } catch (CLException e) {
            String log = buildLog(program, device);
            clReleaseProgram(program);
            throw new OpenClBuildException(name, cl.device().name(), options,
                    log.isBlank() ? OpenClException.errorName(e.getStatus()) : log, e);
        } catch (RuntimeException | Error e) {
            clReleaseProgram(program);
            throw e;
        }
    }

    private static String buildLog(cl_program program, cl_device_id device) {
        try {
            long[] size = new long[1];
            clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] bytes = new byte[(int) size[0]];
            clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null);
            return OpenClDevices.cString(bytes).strip();
        } catch (CLException e) {
            return "(no build log: " + OpenClException.errorName(e.getStatus()) + ")";
        }
    }

    static String resource(String path) {
        try (InputStream in = ClProgram.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("kernel source " + path + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading kernel source " + path, e);
        }
    }

    /** The kernel of that name, created on first use and kept until the program closes. */
    ClKernel kernel(String kernelName) {
        return kernels.computeIfAbsent(kernelName, k -> {
            try {
                return new ClKernel(cl, k, clCreateKernel(program, k, null));
            } catch (CLException e) {
                throw OpenClException.wrap("creating kernel " + k + " of " + name, e);
            }
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<ClKernel> list = new ArrayList<>(kernels.values());
        AutoCloseable[] releases = new AutoCloseable[list.size() + 1];
        for (int i = 0; i < list.size(); i++) {
            ClKernel k = list.get(list.size() - 1 - i);
            releases[i] = () -> clReleaseKernel(k.handle());
        }
        releases[list.size()] = () -> clReleaseProgram(program);
        Releaser.closeAll(releases);
    }
}
