package org.neuralgrid.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * An ordered set of named tensors: the model's parameters, their gradients, or an optimizer's moments. The
 * names are those written to safetensors files (see README.md).
 */
public final class Parameters {
    public static final String IN_WEIGHT = "linear_in.weight";   // (H, 784)
    public static final String IN_BIAS = "linear_in.bias";       // (H)
    public static final String GRID_WEIGHT = "grid.weight";      // (W, H): weight of SOURCE cell q in layer l
    public static final String GRID_BIAS = "grid.bias";          // (W, H)
    public static final String OUT_WEIGHT = "linear_out.weight"; // (classes, H)
    public static final String OUT_BIAS = "linear_out.bias";     // (classes)

    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    public Parameters(List<Tensor> list) {
        for (Tensor t : list) {
            if (tensors.put(t.name(), t) != null) {
                throw new IllegalArgumentException("duplicate tensor " + t.name());
            }
        }
    }

    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new NoSuchElementException("no tensor named " + name + " (have " + tensors.keySet() + ")");
        }
        return t;
    }

    public float[] data(String name) {
        return get(name).data();
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    public List<Tensor> tensors() {
        return Collections.unmodifiableList(new ArrayList<>(tensors.values()));
    }

    public long elementCount() {
        long n = 0;
        for (Tensor t : tensors.values()) {
            n += t.size();
        }
        return n;
    }

    public Parameters copy() {
        List<Tensor> list = new ArrayList<>();
        for (Tensor t : tensors.values()) {
            list.add(t.copy());
        }
        return new Parameters(list);
    }

    /** Zero-filled tensors of the same names and shapes. */
    public Parameters zerosLike() {
        List<Tensor> list = new ArrayList<>();
        for (Tensor t : tensors.values()) {
            list.add(Tensor.zeros(t.name(), t.shape()));
        }
        return new Parameters(list);
    }

    /** Checks that {@code other} has exactly the tensors of this set, shape for shape. */
    public void requireSameLayout(Parameters other) {
        if (!tensors.keySet().equals(other.tensors.keySet())) {
            throw new IllegalArgumentException("expected tensors " + tensors.keySet() + " but got "
                    + other.tensors.keySet());
        }
        for (Tensor t : tensors.values()) {
            Tensor o = other.get(t.name());
            if (!t.sameShape(o)) {
                throw new IllegalArgumentException(t.name() + ": expected shape " + t.shapeText() + " but got "
                        + o.shapeText());
            }
        }
    }
}
