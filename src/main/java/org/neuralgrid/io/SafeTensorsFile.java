package org.neuralgrid.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.neuralgrid.model.Tensor;

/** The contents of a safetensors file: its string metadata and its tensors in the order they are stored. */
public record SafeTensorsFile(Map<String, String> metadata, List<Tensor> tensors) {

    public SafeTensorsFile {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tensors = List.copyOf(tensors);
    }

    public Tensor get(String name) {
        for (Tensor t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new NoSuchElementException("no tensor named " + name + " (have " + names() + ")");
    }

    public boolean has(String name) {
        return tensors.stream().anyMatch(t -> t.name().equals(name));
    }

    private List<String> names() {
        List<String> names = new ArrayList<>();
        for (Tensor t : tensors) {
            names.add(t.name());
        }
        return names;
    }
}
