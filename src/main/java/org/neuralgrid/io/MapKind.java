package org.neuralgrid.io;

import org.neuralgrid.model.RunConfig;

/**
 * What an epoch's picture of the grid shows (the engine's GridPictures builds them). Each kind says how many maps
 * it has and which colour scale reads it right, so that whoever stores, streams or draws the pictures need not know
 * the kinds one by one. It lives beside {@link HeatmapFrame} because its {@link #code()} is a byte of the frame and
 * its {@link #id()} names the frame's file and URL: the web side and the command line read frames without the
 * engine.
 */
public enum MapKind {
    /** Per class, each cell's mean activation over the class's map samples: the run page's first picture. */
    MEAN("mean", 0, true, false),
    /** Per class, each cell's (population) standard deviation over the same samples. */
    STD("std", 1, true, false),
    /** Per class, the class's mean map minus the mean of the ten classes' mean maps: what sets a class apart. */
    CONTRAST("contrast", 2, true, true),
    /** The grid weights, one map laid out as the mean maps. */
    WEIGHTS("weights", 3, false, true),
    /** The grid biases, one map laid out as the mean maps. */
    BIASES("biases", 4, false, true);

    private final String id;
    private final int code;
    private final boolean perClass;
    private final boolean diverging;

    MapKind(String id, int code, boolean perClass, boolean diverging) {
        this.id = id;
        this.code = code;
        this.perClass = perClass;
        this.diverging = diverging;
    }

    /** The kind's name in files, URLs and messages: "mean", "std", "contrast", "weights", "biases". */
    public String id() {
        return id;
    }

    /** The kind's byte in a {@link HeatmapFrame} (offset 48): 0 mean, 1 std, 2 contrast, 3 weights, 4 biases. */
    public int code() {
        return code;
    }

    /** True for a map per class, false for one map of the whole grid. */
    public boolean perClass() {
        return perClass;
    }

    /** How many maps a picture of this kind has: one per class, or one. */
    public int maps() {
        return perClass ? RunConfig.CLASSES : 1;
    }

    /**
     * True where the sign is the message (values on both sides of zero, zero meaning "nothing"), so a diverging
     * colour scale centred on zero reads it right; false for a sequential scale from the smallest value.
     */
    public boolean diverging() {
        return diverging;
    }

    /** The kind whose {@link #id()} is {@code id}; an unknown one is refused naming the kinds there are. */
    public static MapKind of(String id) {
        for (MapKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("must be one of " + ids() + ", got '" + id + "'");
    }

    /** The kind whose {@link #code()} is {@code code}. */
    public static MapKind ofCode(int code) {
        for (MapKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown map kind code " + code);
    }

    /** "mean, std, contrast, weights, biases": the ids, for messages and help. */
    public static String ids() {
        StringBuilder s = new StringBuilder();
        for (MapKind k : values()) {
            s.append(s.isEmpty() ? "" : ", ").append(k.id);
        }
        return s.toString();
    }
}
