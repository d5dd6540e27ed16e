package org.neuralgrid.engine.opencl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuralgrid.model.ModelLayout;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.Tensor;

/**
 * All tensors of the model back to back in one float buffer, in the order of {@link ModelLayout}: parameters,
 * gradient and both Adam moments each live in one device buffer of this layout, so one Adam launch updates
 * everything and one read copies everything back. The kernels know the offsets as build constants.
 */
final class FlatLayout {
    private final Parameters template;                       // zero-filled: names and shapes
    private final Map<String, Integer> offsets = new LinkedHashMap<>();
    private final int size;

    FlatLayout(RunConfig config) {
        this.template = ModelLayout.zeros(config);
        long at = 0;
        for (Tensor t : template.tensors()) {
            offsets.put(t.name(), (int) at);
            at += t.size();
        }
        if (at > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the model has " + at + " parameters, more than one buffer indexes");
        }
        this.size = (int) at;
    }

    int offset(String name) {
        Integer o = offsets.get(name);
        if (o == null) {
            throw new IllegalArgumentException("no tensor " + name);
        }
        return o;
    }

    /** Floats in the whole buffer. */
    int size() {
        return size;
    }

    float[] flatten(Parameters p) {
        template.requireSameLayout(p);
        float[] flat = new float[size];
        for (Tensor t : p.tensors()) {
            System.arraycopy(t.data(), 0, flat, offset(t.name()), t.size());
        }
        return flat;
    }

    Parameters unflatten(float[] flat) {
        Parameters p = template.zerosLike();
        for (Tensor t : p.tensors()) {
            System.arraycopy(flat, offset(t.name()), t.data(), 0, t.size());
        }
        return p;
    }

    List<String> names() {
        return List.copyOf(offsets.keySet());
    }
}
