package org.neuralgrid.engine;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.neuralgrid.io.MapKind;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.Tensor;

/**
 * Every {@link MapKind} of an epoch's picture of the grid, built from what the backend measured ({@link ClassMaps})
 * and its parameters: pure arithmetic on the host, so both backends' pictures differ only as their class maps do.
 */
public final class GridPictures {
    private GridPictures() {
    }

    /**
     * The five pictures of an epoch, in {@link MapKind} order.
     *
     * <ul>
     * <li>{@link MapKind#MEAN}, {@link MapKind#STD}: the class maps as they are;</li>
     * <li>{@link MapKind#CONTRAST}: per class, its mean map minus the mean of all the classes' mean maps (a class
     *     without samples counts with its map of zeros), so the contrasts of a cell sum to zero over classes;</li>
     * <li>{@link MapKind#WEIGHTS}, {@link MapKind#BIASES}: {@code grid.weight} and {@code grid.bias} as one map
     *     shaped like a class's mean map. In 2D the tensors are (W, H) and the map H rows by W columns: row p,
     *     column l is entry [l][p]. For the biases that is cell p of layer l+1, the cell the mean map shows
     *     there; for the weights it is the weight by which cell p of layer l (0: the dense layer's output) feeds
     *     its window in layer l+1, so the weights' columns sit one layer to the input side of the activations
     *     they make. In 3D the tensors are (layers, 28, 28), already the maps' layout.</li>
     * </ul>
     *
     * @param parameters the parameters of the grid the class maps were measured on (e.g. the backend's
     *                   {@link Backend#parameters()} at the same moment)
     */
    public static Map<MapKind, ActivationMaps> of(ClassMaps classMaps, Parameters parameters) {
        ActivationMaps mean = classMaps.mean();
        Map<MapKind, ActivationMaps> pictures = new EnumMap<>(MapKind.class);
        pictures.put(MapKind.MEAN, mean);
        pictures.put(MapKind.STD, classMaps.std());
        pictures.put(MapKind.CONTRAST, mean.as(MapKind.CONTRAST, mean.classes(), contrast(mean)));
        pictures.put(MapKind.WEIGHTS, parameterMap(mean, MapKind.WEIGHTS, parameters.get(Parameters.GRID_WEIGHT)));
        pictures.put(MapKind.BIASES, parameterMap(mean, MapKind.BIASES, parameters.get(Parameters.GRID_BIAS)));
        return Collections.unmodifiableMap(pictures);
    }

    /** Each class's mean map minus the mean over classes, cell by cell (summed in double). */
    static float[] contrast(ActivationMaps mean) {
        int classes = mean.classes(), cells = mean.cellsPerMap();
        float[] m = mean.values();
        float[] contrast = new float[m.length];
        for (int i = 0; i < cells; i++) {
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += m[c * cells + i];
            }
            double overClasses = sum / classes;
            for (int c = 0; c < classes; c++) {
                contrast[c * cells + i] = (float) (m[c * cells + i] - overClasses);
            }
        }
        return contrast;
    }

    /** A grid tensor, (W, H) or (layers, 28, 28), as one map laid out like a class's mean map (see {@link #of}). */
    static ActivationMaps parameterMap(ActivationMaps like, MapKind kind, Tensor tensor) {
        int[] shape = like.sheets() ? new int[] {like.layers(), like.rows(), like.cols()}
                : new int[] {like.width(), like.height()};
        if (!Arrays.equals(shape, tensor.shape())) {
            throw new IllegalArgumentException(tensor.name() + " is " + tensor.shapeText() + ", not of the grid of "
                    + "these maps: " + Arrays.toString(shape));
        }
        float[] values = tensor.data();
        if (like.sheets()) {
            return like.as(kind, 1, values.clone());
        }
        int h = like.height(), w = like.width();   // tensor (W, H) -> map (H, W)
        float[] map = new float[like.cellsPerMap()];
        for (int l = 0; l < w; l++) {
            for (int p = 0; p < h; p++) {
                map[p * w + l] = values[l * h + p];
            }
        }
        return like.as(kind, 1, map);
    }
}
