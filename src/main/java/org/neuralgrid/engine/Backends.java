package org.neuralgrid.engine;

import java.util.List;
import org.neuralgrid.engine.cpu.CpuBackend;
import org.neuralgrid.model.RunConfig;

/** Opens the backend a configuration names, and lists the compute devices found. */
public final class Backends {
    private Backends() {
    }

    /** A device a run can use, as listed by the CLI and the dashboard. */
    public record Device(String backend, String name, boolean available, String note) {
    }

    public static Backend open(RunConfig config) {
        String spec = config.backend();
        if (spec.equals("java") || spec.equals("auto")) {
            return new CpuBackend(config);
        }
        if (spec.startsWith("opencl")) {
            throw new BackendUnavailableException("the OpenCL backend is not part of this build yet; use --backend java");
        }
        throw new BackendUnavailableException("unknown backend '" + spec + "' (expected auto, java or opencl[:N])");
    }

    public static List<Device> devices() {
        int cores = Runtime.getRuntime().availableProcessors();
        return List.of(new Device("java", "CPU (" + cores + " cores, "
                + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors)", true,
                "pure Java, Vector API"));
    }

    /** The requested backend cannot be used here. */
    public static final class BackendUnavailableException extends RuntimeException {
        public BackendUnavailableException(String message) {
            super(message);
        }
    }
}
