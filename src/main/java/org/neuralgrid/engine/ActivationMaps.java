package org.neuralgrid.engine;

import org.neuralgrid.io.HeatmapFrame;

/**
 * Per-class mean activations of the grid after an epoch (epoch 0: before training).
 *
 * @param sheets true for a 3D grid's maps (layers of rows x cols sheets), false for a 2D grid's (layers = 1)
 * @param values (classes, layers, rows, cols). A 2D grid gives one map per class (layers = 1) of H rows by W
 *               columns: values[(c*H + p)*W + l] is cell p of grid layer l+1, the input side on the left. A 3D
 *               grid gives per class one 28x28 sheet per layer.
 */
public record ActivationMaps(int epoch, int classes, boolean sheets, int layers, int rows, int cols, float[] values) {
    public ActivationMaps {
        if ((long) classes * layers * rows * cols != values.length) {
            throw new IllegalArgumentException("activation maps of " + classes + "x" + layers + "x" + rows + "x"
                    + cols + " need " + (long) classes * layers * rows * cols + " values, got " + values.length);
        }
    }

    /** The maps of a 2D grid: per class, H rows by W columns. */
    public ActivationMaps(int epoch, int classes, int height, int width, float[] values) {
        this(epoch, classes, false, 1, height, width, values);
    }

    /** Rows of a 2D grid's map (its height H). */
    public int height() {
        return rows;
    }

    /** Columns of a 2D grid's map (its width W). */
    public int width() {
        return cols;
    }

    public float value(int cls, int row, int col) {
        return value(cls, 0, row, col);
    }

    public float value(int cls, int layer, int row, int col) {
        return values[((cls * layers + layer) * rows + row) * cols + col];
    }

    /** These maps as a heatmap frame (quantised; large maps as block means), as streamed and stored. */
    public HeatmapFrame frame() {
        return HeatmapFrame.quantise(epoch, sheets ? 3 : 2, classes, layers, rows, cols, values);
    }
}
