package org.neuralgrid.engine;

import org.neuralgrid.io.HeatmapFrame;
import org.neuralgrid.io.MapKind;

/**
 * One picture of the grid after an epoch (epoch 0: before training): per-class maps of its cells' activations
 * (mean, standard deviation, contrast), or one map of its parameters (weights, biases); see {@link MapKind}.
 *
 * @param kind   what the values are; the constructors without it make {@link MapKind#MEAN} maps
 * @param sheets true for a 3D grid's maps (layers of rows x cols sheets), false for a 2D grid's (layers = 1)
 * @param values (classes, layers, rows, cols). A 2D grid gives per map (layers = 1) H rows by W columns:
 *               values[(c*H + p)*W + l] is cell p of grid layer l+1, the input side on the left. A 3D grid gives
 *               per map one 28x28 sheet per layer. A kind that is not per class has classes = 1.
 */
public record ActivationMaps(MapKind kind, int epoch, int classes, boolean sheets, int layers, int rows, int cols,
                             float[] values) {
    public ActivationMaps {
        if (!kind.perClass() && classes != 1) {
            throw new IllegalArgumentException(kind.id() + " is one map, not " + classes);
        }
        if ((long) classes * layers * rows * cols != values.length) {
            throw new IllegalArgumentException("activation maps of " + classes + "x" + layers + "x" + rows + "x"
                    + cols + " need " + (long) classes * layers * rows * cols + " values, got " + values.length);
        }
    }

    /** Per-class mean maps, of a 2D or a 3D grid. */
    public ActivationMaps(int epoch, int classes, boolean sheets, int layers, int rows, int cols, float[] values) {
        this(MapKind.MEAN, epoch, classes, sheets, layers, rows, cols, values);
    }

    /** The mean maps of a 2D grid: per class, H rows by W columns. */
    public ActivationMaps(int epoch, int classes, int height, int width, float[] values) {
        this(epoch, classes, false, 1, height, width, values);
    }

    /** Maps of another kind (or class count) with this one's epoch and shape. */
    public ActivationMaps as(MapKind otherKind, int otherClasses, float[] otherValues) {
        return new ActivationMaps(otherKind, epoch, otherClasses, sheets, layers, rows, cols, otherValues);
    }

    /** True if {@code other} is of the same epoch, class count and shape (whatever its kind and values). */
    public boolean sameEpochAndShape(ActivationMaps other) {
        return epoch == other.epoch && classes == other.classes && sheets == other.sheets && layers == other.layers
                && rows == other.rows && cols == other.cols;
    }

    /** Rows of a 2D grid's map (its height H). */
    public int height() {
        return rows;
    }

    /** Columns of a 2D grid's map (its width W). */
    public int width() {
        return cols;
    }

    /** Values per map: the grid's cells. */
    public int cellsPerMap() {
        return layers * rows * cols;
    }

    public float value(int cls, int row, int col) {
        return value(cls, 0, row, col);
    }

    public float value(int cls, int layer, int row, int col) {
        return values[((cls * layers + layer) * rows + row) * cols + col];
    }

    /** These maps as a heatmap frame of their kind (quantised; large maps as block means), as streamed and stored. */
    public HeatmapFrame frame() {
        return HeatmapFrame.quantise(kind, epoch, sheets ? 3 : 2, classes, layers, rows, cols, values);
    }
}
