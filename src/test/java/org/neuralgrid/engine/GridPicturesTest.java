package org.neuralgrid.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.neuralgrid.io.MapKind;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.ModelLayout;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;

/** The five pictures of an epoch are built from the class maps and the parameters as {@link GridPictures} says. */
class GridPicturesTest {
    static final RunConfig GRID_2D = ConfigBuilder.grid(5, 3).kernel(3).build();
    static final RunConfig GRID_3D = ConfigBuilder.sheets(2).kernel(3).build();

    @Test
    void everyKindIsThereInOrderWithItsMapCountTheEpochAndTheGridsShape() {
        ClassMaps measured = randomClassMaps(GRID_2D, 1);
        Map<MapKind, ActivationMaps> pictures = GridPictures.of(measured, randomParameters(GRID_2D, 2));
        assertEquals(List.of(MapKind.values()), List.copyOf(pictures.keySet()));
        assertSame(measured.mean(), pictures.get(MapKind.MEAN));
        assertSame(measured.std(), pictures.get(MapKind.STD));
        for (MapKind kind : MapKind.values()) {
            ActivationMaps m = pictures.get(kind);
            assertEquals(kind, m.kind());
            assertEquals(kind.perClass() ? 10 : 1, m.classes(), kind.id());
            assertEquals(List.of(7, false, 1, 5, 3), List.of(m.epoch(), m.sheets(), m.layers(), m.rows(), m.cols()));
        }
    }

    @Test
    void contrastIsEachClassMeanMinusTheMeanOverClassesAndSumsToZeroInEveryCell() {
        for (RunConfig c : List.of(GRID_2D, GRID_3D)) {
            ClassMaps measured = randomClassMaps(c, 3);
            ActivationMaps contrast = GridPictures.of(measured, randomParameters(c, 4)).get(MapKind.CONTRAST);
            float[] mean = measured.mean().values();
            int cells = contrast.cellsPerMap();
            for (int i = 0; i < cells; i++) {
                double overClasses = 0, sum = 0;
                for (int cls = 0; cls < 10; cls++) {
                    overClasses += mean[cls * cells + i] / 10.0;
                }
                for (int cls = 0; cls < 10; cls++) {
                    float got = contrast.values()[cls * cells + i];
                    assertEquals(mean[cls * cells + i] - overClasses, got, 1e-6, "class " + cls + " cell " + i);
                    sum += got;
                }
                assertEquals(0, sum, 1e-5, "the contrasts of cell " + i + " over classes");
            }
        }
    }

    @Test
    void weightsAndBiasesOfA2dGridAreItsTensorsWithCellsAsRowsAndLayersAsColumns() {
        Parameters p = randomParameters(GRID_2D, 5);
        Map<MapKind, ActivationMaps> pictures = GridPictures.of(randomClassMaps(GRID_2D, 6), p);
        float[] weight = p.data(Parameters.GRID_WEIGHT), bias = p.data(Parameters.GRID_BIAS);   // (W, H)
        int h = GRID_2D.height(), w = GRID_2D.width();
        for (int l = 0; l < w; l++) {
            for (int cell = 0; cell < h; cell++) {
                assertEquals(weight[l * h + cell], pictures.get(MapKind.WEIGHTS).value(0, cell, l));
                assertEquals(bias[l * h + cell], pictures.get(MapKind.BIASES).value(0, cell, l));
            }
        }
    }

    @Test
    void weightsAndBiasesOfA3dGridAreItsTensorsSheetBySheet() {
        Parameters p = randomParameters(GRID_3D, 7);
        Map<MapKind, ActivationMaps> pictures = GridPictures.of(randomClassMaps(GRID_3D, 8), p);
        float[] weight = p.data(Parameters.GRID_WEIGHT), bias = p.data(Parameters.GRID_BIAS);   // (layers, 28, 28)
        ActivationMaps weights = pictures.get(MapKind.WEIGHTS), biases = pictures.get(MapKind.BIASES);
        assertEquals(List.of(1, true, 2, 28, 28),
                List.of(weights.classes(), weights.sheets(), weights.layers(), weights.rows(), weights.cols()));
        for (int l = 0; l < 2; l++) {
            for (int row = 0; row < 28; row++) {
                for (int col = 0; col < 28; col++) {
                    int at = (l * 28 + row) * 28 + col;
                    assertEquals(weight[at], weights.value(0, l, row, col));
                    assertEquals(bias[at], biases.value(0, l, row, col));
                }
            }
        }
    }

    @Test
    void theParametersOfAnotherGridAreRefused() {
        // 3 x 5 has the cells of 5 x 3, in other places
        for (RunConfig other : List.of(ConfigBuilder.grid(5, 4).build(), ConfigBuilder.grid(3, 5).build(), GRID_3D)) {
            assertThrows(IllegalArgumentException.class,
                    () -> GridPictures.of(randomClassMaps(GRID_2D, 9), randomParameters(other, 10)), other.gridText());
        }
    }

    @Test
    void eachKindIsFoundByItsIdAndTheSignedOnesAskForADivergingScale() {
        for (MapKind kind : MapKind.values()) {
            assertSame(kind, MapKind.of(kind.id()));
        }
        assertEquals(List.of("mean", "std", "contrast", "weights", "biases"),
                List.of(MapKind.values()).stream().map(MapKind::id).toList());
        assertEquals(List.of(MapKind.CONTRAST, MapKind.WEIGHTS, MapKind.BIASES),
                List.of(MapKind.values()).stream().filter(MapKind::diverging).toList());
        assertThrows(IllegalArgumentException.class, () -> MapKind.of("median"));
    }

    @Test
    void aClassMapsPairOfOtherShapesOrKindsIsRefused() {
        ClassMaps good = randomClassMaps(GRID_2D, 11);
        ActivationMaps mean = good.mean(), std = good.std();
        assertThrows(IllegalArgumentException.class, () -> new ClassMaps(mean, mean));
        assertThrows(IllegalArgumentException.class,
                () -> new ClassMaps(mean, randomClassMaps(ConfigBuilder.grid(5, 4).build(), 12).std()));
        assertThrows(IllegalArgumentException.class, () -> mean.as(MapKind.WEIGHTS, 10, mean.values()));
        assertTrue(mean.sameEpochAndShape(std));
    }

    /** Mean maps of random values in [-1, 1), std maps in [0, 1), as a backend lays them out for grid c. */
    static ClassMaps randomClassMaps(RunConfig c, long seed) {
        Random rng = new Random(seed);
        int n = 10 * c.depth() * c.cellsPerLayer();
        float[] mean = new float[n], std = new float[n];
        for (int i = 0; i < n; i++) {
            mean[i] = rng.nextFloat() * 2 - 1;
            std[i] = rng.nextFloat();
        }
        ActivationMaps m = c.is3d() ? new ActivationMaps(7, 10, true, c.depth(), 28, 28, mean)
                : new ActivationMaps(7, 10, c.height(), c.width(), mean);
        return new ClassMaps(m, m.as(MapKind.STD, 10, std));
    }

    /** The parameters of grid c with random grid weights and biases (no two alike). */
    static Parameters randomParameters(RunConfig c, long seed) {
        Parameters p = ModelLayout.zeros(c);
        Random rng = new Random(seed);
        for (String name : List.of(Parameters.GRID_WEIGHT, Parameters.GRID_BIAS)) {
            float[] t = p.data(name);
            for (int i = 0; i < t.length; i++) {
                t[i] = rng.nextFloat() * 2 - 1;
            }
        }
        return p;
    }
}
