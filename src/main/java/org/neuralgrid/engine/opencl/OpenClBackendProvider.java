package org.neuralgrid.engine.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.neuralgrid.engine.Backend;
import org.neuralgrid.engine.BackendProvider;
import org.neuralgrid.engine.Device;
import org.neuralgrid.model.BackendSpec;
import org.neuralgrid.model.RunConfig;

/**
 * The OpenCL backend: every OpenCL device of this machine, as "opencl:N" in the order {@link OpenClDevices} lists
 * them. "auto" takes the first GPU (PoCL on a CPU is slower than the Java backend, so never a CPU device).
 */
public final class OpenClBackendProvider implements BackendProvider {
    /** "auto" prefers a GPU to the Java backend. */
    static final int GPU_PREFERENCE = 10;

    @Override
    public BackendSpec.Kind kind() {
        return BackendSpec.Kind.OPENCL;
    }

    @Override
    public List<Device> devices() {
        OpenClDevices.Scan scan = OpenClDevices.scan();
        List<Device> list = new ArrayList<>();
        for (OpenClDevice d : scan.devices()) {
            list.add(new Device(d.spec(), d.name(), true, d.note(), d.isGpu()
                    ? new Device.Room(true, d.memoryBytes(), 0) : Device.Room.hostCpu()));
        }
        if (list.isEmpty()) {
            list.add(new Device(BackendSpec.OPENCL, "OpenCL", false, scan.problem()));
        }
        return List.copyOf(list);
    }

    @Override
    public Optional<AutoCandidate> autoCandidate() {
        return OpenClDevices.select(BackendSpec.AUTO, OpenClDevices.scan())
                .map(d -> new AutoCandidate(d.spec(), GPU_PREFERENCE));
    }

    /** "opencl" without an index is the device it would open: the first GPU, else the first device. */
    @Override
    public BackendSpec place(BackendSpec spec) {
        return spec.namesDevice() ? spec : OpenClDevices.select(spec, OpenClDevices.scan()).map(OpenClDevice::spec)
                .orElse(spec);
    }

    @Override
    public Backend open(RunConfig config, BackendSpec spec) {
        OpenClDevice device = OpenClDevices.select(spec, OpenClDevices.scan()).orElseThrow();
        return new OpenClBackend(config, device);
    }
}
