package org.neuralgrid.model;

/**
 * How pixels become the network's inputs: scaled to [0, 1], then (x - mean) / std. Both backends read the same
 * 256-entry table ({@link #table()}), so they see the same floats.
 */
public enum Normalization implements Choice {
    FASHION_MNIST(new Text("fashion-mnist", "mean 0.2860, std 0.3530", "Fashion-MNIST's own pixel statistics."),
            0.2860f, 0.3530f),
    HALF(new Text("half", "mean 0.5, std 0.5", "Pixels to [-1, 1], as the code of the 2021 write-up did."),
            0.5f, 0.5f);

    private final Text text;
    private final float mean;
    private final float std;

    Normalization(Text text, float mean, float std) {
        this.text = text;
        this.mean = mean;
        this.std = std;
    }

    @Override
    public Text text() {
        return text;
    }

    /** The brightness (in [0, 1]) that becomes input 0. */
    public float mean() {
        return mean;
    }

    /** The brightness difference that becomes input 1. */
    public float std() {
        return std;
    }

    /** The input for a pixel byte (0..255). */
    public float apply(byte pixel) {
        return ((pixel & 0xff) / 255f - mean) / std;
    }

    /** The input of every byte value. */
    public float[] table() {
        float[] t = new float[256];
        for (int b = 0; b < 256; b++) {
            t[b] = apply((byte) b);
        }
        return t;
    }
}
