package org.neuralgrid.render;

import java.util.Locale;

/**
 * The colour maps of the pictures, the same as the dashboard's (static/colours.js): viridis for values of one sign,
 * and a blue-white-red diverging map (ColorBrewer's RdBu reversed, white at 0) for signed activations, shown over a
 * range symmetric about 0.
 */
public enum ColourScale {
    VIRIDIS(lut(new int[][] {{68, 1, 84}, {71, 13, 96}, {72, 24, 106}, {72, 35, 116}, {71, 45, 123},
        {69, 54, 129}, {66, 64, 134}, {63, 73, 137}, {59, 82, 139}, {55, 90, 141}, {51, 99, 141}, {47, 106, 142},
        {44, 114, 142}, {41, 122, 142}, {38, 129, 142}, {35, 137, 142}, {33, 144, 140}, {31, 152, 139},
        {31, 159, 136}, {33, 166, 133}, {40, 174, 128}, {49, 181, 123}, {62, 188, 116}, {76, 194, 108},
        {93, 201, 99}, {110, 206, 88}, {130, 211, 76}, {150, 216, 63}, {171, 220, 50}, {192, 223, 36},
        {213, 226, 26}, {234, 229, 26}, {253, 231, 37}}), false),
    DIVERGING(diverging(
            new int[][] {{255, 255, 255}, {209, 229, 240}, {146, 197, 222}, {67, 147, 195}, {33, 102, 172}, {5, 48, 97}},
            new int[][] {{255, 255, 255}, {253, 219, 199}, {244, 165, 130}, {214, 96, 77}, {178, 24, 43}, {103, 0, 31}}),
            true);

    /** The entry of the diverging map that is white: 0 lands on it. */
    static final int CENTRE = 128;

    private final int[] rgb;
    private final boolean centred;

    ColourScale(int[] rgb, boolean centred) {
        this.rgb = rgb;
        this.centred = centred;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** "viridis" or "diverging". */
    public static ColourScale parse(String text) {
        for (ColourScale s : values()) {
            if (s.id().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("must be viridis or diverging, got '" + text + "'");
    }

    /** Diverging for signed activations (sin, tanh), viridis for the others: what the dashboard starts with. */
    public static ColourScale forActivation(String activation) {
        return activation.equals("sin") || activation.equals("tanh") ? DIVERGING : VIRIDIS;
    }

    /** Whether the map is shown over a range symmetric about 0, with 0 at its centre. */
    public boolean centred() {
        return centred;
    }

    /** The colour (0xRRGGBB) of a value in [lo, hi] (for a centred scale, [-limit, limit]). */
    public int colour(double value, double lo, double hi) {
        double t = hi > lo ? (value - lo) / (hi - lo) : 0.5;
        int i = (int) Math.round(Math.max(0, Math.min(1, t)) * 255);
        if (centred && Math.abs(value) < 1e-12) {
            i = CENTRE;
        }
        return rgb[i];
    }

    private static int[] lut(int[][] stops) {
        int[] out = new int[256];
        int segments = stops.length - 1;
        for (int i = 0; i < 256; i++) {
            double x = i / 255.0 * segments;
            int j = Math.min(segments - 1, (int) Math.floor(x));
            out[i] = mix(stops[j], stops[j + 1], x - j);
        }
        return out;
    }

    /** Entries 0..127 the negative side (0 darkest), 128 white, 129..255 the positive side (255 darkest). */
    private static int[] diverging(int[][] negative, int[][] positive) {
        int[] out = new int[256];
        for (int i = 0; i < 256; i++) {
            int[][] stops = i < CENTRE ? negative : positive;
            double s = i < CENTRE ? (CENTRE - i) / (double) CENTRE : (i - CENTRE) / (double) (255 - CENTRE);
            double x = s * (stops.length - 1);
            int j = Math.min(stops.length - 2, (int) Math.floor(x));
            out[i] = mix(stops[j], stops[j + 1], x - j);
        }
        return out;
    }

    private static int mix(int[] a, int[] b, double f) {
        int rgb = 0;
        for (int c = 0; c < 3; c++) {
            rgb = rgb << 8 | (int) Math.round(a[c] + (b[c] - a[c]) * f);
        }
        return rgb;
    }
}
