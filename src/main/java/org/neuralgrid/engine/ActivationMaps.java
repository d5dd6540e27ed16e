package org.neuralgrid.engine;

/**
 * Per-class mean activations of the grid after an epoch (epoch 0: before training).
 *
 * @param values (classes, height, width): values[(c*height + p)*width + l] is cell p of grid layer l+1 for
 *               class c, so each class is an image with the input side on the left
 */
public record ActivationMaps(int epoch, int classes, int height, int width, float[] values) {
    public ActivationMaps {
        if ((long) classes * height * width != values.length) {
            throw new IllegalArgumentException("activation maps of " + classes + "x" + height + "x" + width
                    + " need " + (long) classes * height * width + " values, got " + values.length);
        }
    }

    public float value(int cls, int row, int col) {
        return values[(cls * height + row) * width + col];
    }
}
