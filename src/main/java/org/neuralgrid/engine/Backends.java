package org.neuralgrid.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.neuralgrid.engine.cpu.CpuBackend;
import org.neuralgrid.engine.opencl.OpenClBackend;
import org.neuralgrid.engine.opencl.OpenClDevice;
import org.neuralgrid.engine.opencl.OpenClDevices;
import org.neuralgrid.engine.opencl.OpenClException;
import org.neuralgrid.model.RunConfig;

/** Opens the backend a configuration names, and lists the compute devices found. */
public final class Backends {
    private Backends() {
    }

    /** A device a run can use, as listed by the CLI and the dashboard. */
    public record Device(String backend, String name, boolean available, String note) {
    }

    /**
     * "java": the Java backend. "opencl": the first OpenCL GPU, else the first OpenCL device; "opencl:N": the N-th
     * OpenCL device in the order {@link #devices()} lists them (both fail with a
     * {@link BackendUnavailableException} saying what was found). "auto": an OpenCL GPU when there is one that
     * works, else the Java backend. Both backends run 2D and 3D grids.
     */
    public static Backend open(RunConfig config) {
        String spec = config.backend();
        if (spec.equals("java")) {
            return new CpuBackend(config);
        }
        if (spec.equals("auto") || spec.startsWith("opencl")) {
            Optional<OpenClDevice> device = OpenClDevices.select(spec, OpenClDevices.scan());
            if (device.isEmpty()) {
                return new CpuBackend(config);
            }
            try {
                return new OpenClBackend(config, device.get());
            } catch (OpenClException e) {
                if (!spec.equals("auto")) {
                    throw e;
                }
                System.getLogger(Backends.class.getName()).log(System.Logger.Level.WARNING,
                        "the OpenCL GPU " + device.get().name() + " failed, training on the Java backend: "
                                + e.getMessage());
                return new CpuBackend(config);
            }
        }
        throw new BackendUnavailableException("unknown backend '" + spec + "' (expected auto, java or opencl[:N])");
    }

    /** The Java backend first, then every OpenCL device as "opencl:N" (or one unavailable "opencl" saying why none). */
    public static List<Device> devices() {
        int cores = Runtime.getRuntime().availableProcessors();
        List<Device> list = new ArrayList<>();
        list.add(new Device("java", "CPU (" + cores + " cores, "
                + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors)", true,
                "pure Java, Vector API"));
        OpenClDevices.Scan scan = OpenClDevices.scan();
        for (OpenClDevice d : scan.devices()) {
            list.add(new Device(d.spec(), d.name(), true, d.note()));
        }
        if (scan.devices().isEmpty()) {
            list.add(new Device("opencl", "OpenCL", false, scan.problem()));
        }
        return List.copyOf(list);
    }

    /** The requested backend cannot be used here. */
    public static final class BackendUnavailableException extends RuntimeException {
        public BackendUnavailableException(String message) {
            super(message);
        }
    }
}
