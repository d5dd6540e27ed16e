package org.neuralgrid.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.engine.ActivationMaps;
import org.neuralgrid.engine.ClassMaps;
import org.neuralgrid.engine.ReferenceGrid;
import org.neuralgrid.engine.TestData;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;

/**
 * The Java backend's per-class mean and standard-deviation maps are those of the double-precision reference's
 * activations, over more samples per class than a chunk holds (so the per-chunk spreads are merged).
 */
class CpuClassMapsTest {
    private static final int PER_CLASS = 45;   // a few chunks of 2 vectors, the last one partial

    @Test
    void meanAndStdOfA2dGridAreThoseOfTheReferenceActivations() {
        RunConfig c = ConfigBuilder.grid(11, 4).kernel(3).activation(Activation.TANH).batch(8).threads(2).build();
        Dataset ds = TestData.random(600, 41);
        try (CpuBackend b = new CpuBackend(c)) {
            b.upload(new DataSplit(ds, ds));
            assertMatchesReference(c, b, ds, 1e-5);
        }
    }

    @Test
    void meanAndStdOfA3dGridAreThoseOfTheReferenceActivations() {
        RunConfig c = ConfigBuilder.sheets(2).kernel(3).activation(Activation.SIN).batch(8).threads(2).seed(7)
                .build();
        Dataset ds = TestData.random(300, 42);
        try (CpuBackend b = new CpuBackend(c)) {
            b.upload(new DataSplit(ds, ds));
            assertMatchesReference(c, b, ds, 1e-5);
        }
    }

    /**
     * Cells at about 1000 with a spread of about 1: E[a^2] - E[a]^2 in float would lose the spread (a float near
     * 10^6 is good to 0.06), merged deviations keep it to the activations' own rounding.
     */
    @Test
    void aSmallSpreadAroundALargeMeanKeepsItsDigits() {
        RunConfig c = ConfigBuilder.grid(6, 1).kernel(3).activation(Activation.IDENTITY).batch(8).threads(2).build();
        Dataset ds = TestData.random(600, 43);
        try (CpuBackend b = new CpuBackend(c)) {
            Parameters p = b.parameters();
            Arrays.fill(p.data(Parameters.GRID_BIAS), 1000f);
            b.setParameters(p);
            b.upload(new DataSplit(ds, ds));
            assertMatchesReference(c, b, ds, 1e-3);
        }
    }

    /** Every cell's mean and population std over the first PER_CLASS test samples of each class. */
    private static void assertMatchesReference(RunConfig c, CpuBackend b, Dataset ds, double tolerance) {
        int[][] perClass = ds.firstOfEachClass(PER_CLASS);
        ClassMaps maps = b.activationMaps(2, perClass);
        ReferenceGrid ref = new ReferenceGrid(c, b.parameters());
        int layers = c.depth(), cells = c.cellsPerLayer();
        for (int cls = 0; cls < 10; cls++) {
            double[][] sum = new double[layers + 1][cells], squares = new double[layers + 1][cells];
            int n = 0;
            for (int s : perClass[cls]) {
                if (s < 0) {
                    continue;
                }
                n++;
                double[][] a = ref.forward(ReferenceGrid.input(ds, s)).a();
                for (int l = 1; l <= layers; l++) {
                    for (int p = 0; p < cells; p++) {
                        sum[l][p] += a[l][p];
                    }
                }
            }
            for (int s : perClass[cls]) {   // a second pass: deviations from the exact mean
                if (s >= 0) {
                    double[][] a = ref.forward(ReferenceGrid.input(ds, s)).a();
                    for (int l = 1; l <= layers; l++) {
                        for (int p = 0; p < cells; p++) {
                            double d = a[l][p] - sum[l][p] / n;
                            squares[l][p] += d * d;
                        }
                    }
                }
            }
            for (int l = 1; l <= layers; l++) {
                for (int p = 0; p < cells; p++) {
                    String at = "class " + cls + " layer " + l + " cell " + p;
                    assertEquals(sum[l][p] / n, at(maps.mean(), c, cls, l, p), Math.max(1e-5, 1e-6 * Math.abs(sum[l][p] / n)),
                            "mean of " + at);
                    assertEquals(Math.sqrt(squares[l][p] / n), at(maps.std(), c, cls, l, p), tolerance, "std of " + at);
                }
            }
        }
    }

    /** Cell p of grid layer l (1-based) in class cls's map: 2D row p, column l-1; 3D sheet l-1. */
    private static float at(ActivationMaps maps, RunConfig c, int cls, int l, int p) {
        return c.is3d() ? maps.value(cls, l - 1, p / c.sheetCols(), p % c.sheetCols()) : maps.value(cls, p, l - 1);
    }
}
