package org.neuralgrid.engine;

import java.util.List;
import java.util.Optional;
import org.neuralgrid.model.BackendSpec;
import org.neuralgrid.model.RunConfig;

/**
 * What a backend package offers the rest of the engine: its devices on this machine, the device "auto" would take,
 * and a way to open a {@link Backend} for a spec of its kind. The catalog of backends holds one of these per
 * backend; nothing else names a concrete backend class.
 */
public interface BackendProvider {

    /** The device "auto" may take on this backend, and how strongly it is preferred (the highest wins). */
    record AutoCandidate(BackendSpec spec, int preference) {
    }

    /** The kind of spec this provider opens. */
    BackendSpec.Kind kind();

    /** Its devices, in the order their specs number them; unavailable ones (or one for "none") say why. */
    List<Device> devices();

    /** The device "auto" should try on this backend here, if any. */
    Optional<AutoCandidate> autoCandidate();

    /** The device a spec of this kind would open: one naming a device itself, else the backend's own choice. */
    default BackendSpec place(BackendSpec spec) {
        return spec;
    }

    /**
     * A backend for the model on the device {@code spec} names (of this provider's kind; without an index: this
     * backend's own choice).
     *
     * @throws BackendUnavailableException when there is no such device
     */
    Backend open(RunConfig config, BackendSpec spec);
}
