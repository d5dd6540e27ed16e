package org.neuralgrid.engine.opencl;

import java.util.Locale;

/**
 * Overrides of the device-driven choices in {@link GridGeometry}: tests on one device run the kernel variants
 * another device would get, and a benchmark on a new GPU can compare cuts without a rebuild (system properties
 * {@code neuralgrid.opencl.targetCells}, {@code .maxGridWg}, {@code .gemmResults}, {@code .globalScratch}).
 * Every cut computes the same function; only the summation order of the batch may change with S.
 *
 * @param globalScratch the grid kernels keep their scratch in global memory (as for sheets too large for local)
 * @param gemmResults   results per GEMM work-item per dimension (1, 2 or 4); 0: chosen for the device
 * @param targetCells   cells a grid work-group aims at (so S = targetCells / C samples for small layers); 0:
 *                      chosen for the device
 * @param maxGridWg     work-items of a grid work-group at most (a multiple of 32, up to 1024); 0: 256
 */
record Tuning(boolean globalScratch, int gemmResults, int targetCells, int maxGridWg) {
    static final Tuning AUTO = new Tuning(false, 0, 0, 0);
    static final String PROPERTY = "neuralgrid.opencl.";

    Tuning {
        if (gemmResults != 0 && gemmResults != 1 && gemmResults != 2 && gemmResults != 4) {
            throw new IllegalArgumentException(PROPERTY + "gemmResults must be 1, 2 or 4, got " + gemmResults);
        }
        if (targetCells < 0 || targetCells > 1 << 20) {
            throw new IllegalArgumentException(PROPERTY + "targetCells must be between 1 and 2^20, got "
                    + targetCells);
        }
        if (maxGridWg != 0 && (maxGridWg < 32 || maxGridWg > 1024 || maxGridWg % 32 != 0)) {
            throw new IllegalArgumentException(PROPERTY + "maxGridWg must be a multiple of 32 up to 1024, got "
                    + maxGridWg);
        }
    }

    Tuning(boolean globalScratch, int gemmResults, int targetCells) {
        this(globalScratch, gemmResults, targetCells, 0);
    }

    /** AUTO, changed by whichever of the system properties are set. */
    static Tuning fromSystemProperties() {
        return new Tuning(Boolean.getBoolean(PROPERTY + "globalScratch"), intProperty("gemmResults"),
                intProperty("targetCells"), intProperty("maxGridWg"));
    }

    private static int intProperty(String name) {
        String v = System.getProperty(PROPERTY + name);
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s%s must be an integer, got '%s'",
                    PROPERTY, name, v));
        }
    }
}
