package org.neuralgrid.model;

import java.util.Locale;

/**
 * The two published forms: a 2D grid (columns of H cells, a dense layer in front) and a 3D grid (image-shaped
 * sheets with k x k windows; the image itself is the first sheet).
 */
public enum GridType {
    TWO_D("2d"), THREE_D("3d");

    private final String id;

    GridType(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static GridType parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (GridType g : values()) {
            if (g.id.equals(t)) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown grid type '" + text + "' (expected 2d or 3d)");
    }
}
