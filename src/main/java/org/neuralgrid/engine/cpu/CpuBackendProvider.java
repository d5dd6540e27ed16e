package org.neuralgrid.engine.cpu;

import java.util.List;
import java.util.Optional;
import jdk.incubator.vector.FloatVector;
import org.neuralgrid.engine.Backend;
import org.neuralgrid.engine.BackendProvider;
import org.neuralgrid.engine.Device;
import org.neuralgrid.model.BackendSpec;
import org.neuralgrid.model.RunConfig;

/** The Java backend: one device, this machine's CPU; "auto" takes it when nothing faster works. */
public final class CpuBackendProvider implements BackendProvider {

    @Override
    public BackendSpec.Kind kind() {
        return BackendSpec.Kind.JAVA;
    }

    @Override
    public List<Device> devices() {
        int cores = Runtime.getRuntime().availableProcessors();
        return List.of(new Device(BackendSpec.JAVA, "CPU (" + cores + " cores, "
                + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors)", true, "pure Java, Vector API"));
    }

    @Override
    public Optional<AutoCandidate> autoCandidate() {
        return Optional.of(new AutoCandidate(BackendSpec.JAVA, 0));
    }

    @Override
    public Backend open(RunConfig config, BackendSpec spec) {
        return new CpuBackend(config);
    }
}
