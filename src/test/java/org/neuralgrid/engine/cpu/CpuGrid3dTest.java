package org.neuralgrid.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.engine.ActivationMaps;
import org.neuralgrid.engine.ReferenceGrid;
import org.neuralgrid.engine.TestData;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;

/**
 * The 3D grid on the Java backend computes what the double-precision reference computes: 28x28 sheets, k x k
 * windows, the image as the first sheet.
 */
class CpuGrid3dTest {

    static RunConfig config(int layers, int k, Activation a, int batch) {
        return ConfigBuilder.sheets(layers).kernel(k).activation(a).batch(batch).lr(3e-3).seed(7).build();
    }

    @ParameterizedTest(name = "k={0} {1}")
    @MethodSource("org.neuralgrid.engine.TestData#kernelsAndActivations")
    void gradientsOfEveryTensorMatchTheDoubleReference(int k, Activation activation) {
        RunConfig c = config(3, k, activation, 21);
        Dataset ds = TestData.random(25, 3);
        int[] samples = IntStream.range(0, 21).map(i -> (i * 4) % 25).toArray();
        try (CpuBackend b = new CpuBackend(c)) {
            b.upload(new DataSplit(ds, ds));
            Parameters grads = b.gradients(samples);
            ReferenceGrid ref = new ReferenceGrid(c, b.parameters());
            double[][] expected = ref.gradients(ds, samples);
            for (int t : ref.tensorIndices()) {
                double err = ReferenceGrid.relativeError(grads.data(ReferenceGrid.NAMES[t]), expected[t]);
                assertTrue(err < 1e-4, ReferenceGrid.NAMES[t] + " relative error " + err);
            }
        }
    }

    @Test
    void activationMapsOfEverySheetAreTheClassMeansOfTheReferenceActivations() {
        RunConfig c = config(2, 3, Activation.SIN, 8);
        Dataset ds = TestData.random(40, 6);
        int[][] perClass = ds.firstOfEachClass(3);
        try (CpuBackend b = new CpuBackend(c)) {
            b.upload(new DataSplit(ds, ds));
            ActivationMaps maps = b.activationMaps(1, perClass).mean();
            assertEquals(2, maps.layers());
            assertEquals(28, maps.rows());
            assertEquals(28, maps.cols());
            ReferenceGrid ref = new ReferenceGrid(c, b.parameters());
            for (int cls = 0; cls < 10; cls++) {
                int n = 0;
                double[][] sum = new double[3][784];
                for (int s : perClass[cls]) {
                    if (s >= 0) {
                        n++;
                        double[][] a = ref.forward(ReferenceGrid.input(ds, s)).a();
                        for (int l = 1; l <= 2; l++) {
                            for (int p = 0; p < 784; p++) {
                                sum[l][p] += a[l][p];
                            }
                        }
                    }
                }
                for (int l = 1; l <= 2; l++) {
                    for (int p = 0; p < 784; p += 13) {
                        double expected = n == 0 ? 0 : sum[l][p] / n;
                        assertEquals(expected, maps.value(cls, l - 1, p / 28, p % 28), 1e-5);
                    }
                }
            }
        }
    }
}
