package org.neuralgrid.model;

import java.util.Locale;

/** Where a run's images come from. */
public enum DatasetKind {
    FASHION_MNIST("fashion-mnist"), SYNTHETIC("synthetic");

    private final String id;

    DatasetKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static DatasetKind parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (DatasetKind d : values()) {
            if (d.id.equals(t)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dataset '" + text + "' (expected fashion-mnist or synthetic)");
    }
}
