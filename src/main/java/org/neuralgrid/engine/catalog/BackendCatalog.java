package org.neuralgrid.engine.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.neuralgrid.engine.Backend;
import org.neuralgrid.engine.BackendProvider;
import org.neuralgrid.engine.BackendProvider.AutoCandidate;
import org.neuralgrid.engine.BackendUnavailableException;
import org.neuralgrid.engine.Device;
import org.neuralgrid.engine.cpu.CpuBackendProvider;
import org.neuralgrid.engine.opencl.OpenClBackendProvider;
import org.neuralgrid.model.BackendSpec;
import org.neuralgrid.model.RunConfig;

/**
 * The backends this build knows, in the order their devices are listed (the Java backend first): the one place
 * that lists devices and opens a backend for a {@link BackendSpec}. A new backend is a provider added here.
 */
public final class BackendCatalog {
    private static final System.Logger LOG = System.getLogger(BackendCatalog.class.getName());
    private static final BackendCatalog STANDARD = new BackendCatalog(
            List.of(new CpuBackendProvider(), new OpenClBackendProvider()));

    private final List<BackendProvider> providers;

    public BackendCatalog(List<BackendProvider> providers) {
        this.providers = List.copyOf(providers);
    }

    /** Every backend of this build. */
    public static BackendCatalog standard() {
        return STANDARD;
    }

    /** Every device of every backend, the Java backend first. */
    public List<Device> devices() {
        List<Device> all = new ArrayList<>();
        providers.forEach(p -> all.addAll(p.devices()));
        return List.copyOf(all);
    }

    /**
     * A backend for the configuration's model on the device its spec names. "auto" tries the candidates of every
     * backend, the most preferred first (an OpenCL GPU before the Java backend), and goes on to the next when one
     * fails to open, saying so in the log.
     *
     * @throws BackendUnavailableException when a named backend or device is not here
     */
    public Backend open(RunConfig config) {
        BackendSpec spec = config.backend();
        if (!spec.isAuto()) {
            return provider(spec.kind()).open(config, spec);
        }
        List<AutoCandidate> candidates = providers.stream().map(BackendProvider::autoCandidate)
                .flatMap(Optional::stream)
                .sorted(Comparator.comparingInt(AutoCandidate::preference).reversed())
                .toList();
        for (int i = 0; i < candidates.size(); i++) {
            BackendSpec candidate = candidates.get(i).spec();
            try {
                return provider(candidate.kind()).open(config, candidate);
            } catch (RuntimeException e) {
                if (i == candidates.size() - 1) {
                    throw e;
                }
                LOG.log(System.Logger.Level.WARNING, "auto: " + candidate + " failed to open, trying the next"
                        + " backend: " + e.getMessage());
            }
        }
        throw new BackendUnavailableException("auto found no backend to train on");
    }

    /**
     * The device a spec would train on, as its {@link Device#spec()} names it: "auto" the most preferred
     * candidate's, a backend without an index its own choice. What packing counts a run against.
     */
    public BackendSpec place(BackendSpec spec) {
        if (spec.isAuto()) {
            return providers.stream().map(BackendProvider::autoCandidate).flatMap(Optional::stream)
                    .max(Comparator.comparingInt(AutoCandidate::preference)).map(AutoCandidate::spec)
                    .map(this::place).orElse(spec);
        }
        try {
            return provider(spec.kind()).place(spec);
        } catch (RuntimeException e) {
            return spec;
        }
    }

    /**
     * Why a spec cannot be used with these devices (as {@link #devices()} listed them), or empty. A spec without
     * an index needs an available device of its backend; one with an index needs that very device.
     */
    public static Optional<String> problem(BackendSpec spec, List<Device> devices) {
        if (spec.isAuto()) {
            return Optional.empty();
        }
        List<Device> ofKind = devices.stream().filter(d -> d.spec().kind() == spec.kind()).toList();
        boolean usable = ofKind.stream().anyMatch(d -> d.available() && (!spec.namesDevice() || d.spec().equals(spec)));
        if (usable) {
            return Optional.empty();
        }
        String why = ofKind.stream().filter(d -> !d.available()).map(Device::note).findFirst()
                .map(note -> ": " + note).orElse("");
        if (!spec.namesDevice()) {
            return Optional.of("no " + spec.kind().id() + " device is available here" + why);
        }
        List<String> found = ofKind.stream().filter(Device::available).map(d -> d.spec().toString()).toList();
        return Optional.of("there is no device " + spec + " here"
                + (found.isEmpty() ? why : " (found " + String.join(", ", found) + ")"));
    }

    private BackendProvider provider(BackendSpec.Kind kind) {
        return providers.stream().filter(p -> p.kind() == kind).findFirst()
                .orElseThrow(() -> new BackendUnavailableException("this build has no " + kind.id() + " backend"));
    }
}
