package org.neuralgrid.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuralgrid.engine.EvalSet;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.engine.ActivationMaps;
import org.neuralgrid.engine.Evaluation;
import org.neuralgrid.engine.ReferenceGrid;
import org.neuralgrid.engine.TestData;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;

/**
 * The fast float path of the Java backend computes the same function as the double-precision reference, for a 2D
 * grid (the 3D grid: {@link CpuGrid3dTest}; what every backend promises: {@link CpuBackendContractTest}).
 */
class CpuBackendTest {

    static RunConfig config(int h, int w, int k, Activation a, int batch, int threads) {
        return ConfigBuilder.grid(h, w).kernel(k).activation(a).batch(batch).threads(threads).build();
    }

    @ParameterizedTest(name = "k={0} {1}")
    @MethodSource("org.neuralgrid.engine.TestData#kernelsAndActivations")
    void gradientsOfEveryTensorMatchTheDoubleReference(int k, Activation activation) {
        // height 13: not a multiple of 4 (row blocks) nor of a vector; 37 samples: a partial chunk
        RunConfig c = config(13, 6, k, activation, 37, 2);
        Dataset ds = TestData.random(40, 5);
        int[] samples = new int[37];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (i * 7) % 40;
        }
        try (CpuBackend b = new CpuBackend(c)) {
            b.upload(new DataSplit(ds, ds));
            Parameters grads = b.gradients(samples);
            ReferenceGrid ref = new ReferenceGrid(c, b.parameters());
            double[][] expected = ref.gradients(ds, samples);
            for (int t = 0; t < expected.length; t++) {
                double err = ReferenceGrid.relativeError(grads.data(ReferenceGrid.NAMES[t]), expected[t]);
                assertTrue(err < 1e-4, ReferenceGrid.NAMES[t] + " relative error " + err);
            }
        }
    }

    @Test
    void evaluationMatchesTheReferenceLossAndAccuracy() {
        RunConfig c = config(24, 10, 3, Activation.SIN, 16, 2);
        Dataset ds = TestData.random(70, 9);
        try (CpuBackend b = new CpuBackend(c)) {
            b.upload(new DataSplit(ds, ds));
            Evaluation e = b.evaluate(EvalSet.TEST);
            ReferenceGrid ref = new ReferenceGrid(c, b.parameters());
            int[] all = new int[ds.count()];
            int correct = 0;
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
                double[] logits = ref.forward(ReferenceGrid.input(ds, i)).logits();
                int best = 0;
                for (int j = 1; j < logits.length; j++) {
                    best = logits[j] > logits[best] ? j : best;
                }
                correct += best == ds.label(i) ? 1 : 0;
            }
            assertEquals(ref.meanLoss(ds, all), e.loss(), 1e-5);
            assertEquals((double) correct / ds.count(), e.accuracy(), 1e-12);
            assertEquals(70, e.samples());
        }
    }

    @Test
    void oneAdamStepMatchesTheReferenceUpdate() {
        RunConfig c = config(9, 5, 3, Activation.TANH, 20, 2);
        Dataset ds = TestData.random(20, 4);
        int[] order = new int[20];
        for (int i = 0; i < order.length; i++) {
            order[i] = 19 - i;
        }
        try (CpuBackend b = new CpuBackend(c)) {
            b.upload(new DataSplit(ds, ds));
            Parameters before = b.parameters();
            double[][] g = new ReferenceGrid(c, before).gradients(ds, order);
            b.beginEpoch(order);
            float lr = 0.01f;
            b.trainStep(0, lr);
            Parameters after = b.parameters();
            for (int t = 0; t < g.length; t++) {
                float[] p0 = before.data(ReferenceGrid.NAMES[t]);
                double[] expected = new double[p0.length];
                for (int i = 0; i < p0.length; i++) {
                    // first Adam step: m^ = g, v^ = g^2, so p -= lr * g / (|g| + eps)
                    expected[i] = p0[i] - lr * g[t][i] / (Math.abs(g[t][i]) + 1e-8);
                }
                float[] p1 = after.data(ReferenceGrid.NAMES[t]);
                for (int i = 0; i < p1.length; i++) {
                    // where |g| is near eps the step is ill-conditioned in float: allow a full step there
                    double tol = Math.abs(g[t][i]) < 1e-6 ? lr * 1.01 : 1e-6;
                    assertEquals(expected[i], p1[i], tol, ReferenceGrid.NAMES[t] + "[" + i + "]");
                }
            }
            assertEquals(1, b.optimizerState().step());
            assertEquals(20, b.trainMetrics().samples());
        }
    }

    @Test
    void activationMapsAreTheClassMeansOfTheReferenceActivations() {
        RunConfig c = config(11, 7, 5, Activation.SIN, 8, 2);
        Dataset ds = TestData.random(60, 2);
        int[][] perClass = ds.firstOfEachClass(4);
        try (CpuBackend b = new CpuBackend(c)) {
            b.upload(new DataSplit(ds, ds));
            ActivationMaps maps = b.activationMaps(3, perClass).mean();
            ReferenceGrid ref = new ReferenceGrid(c, b.parameters());
            assertEquals(3, maps.epoch());
            for (int cls = 0; cls < 10; cls++) {
                double[][] mean = new double[c.width() + 1][c.height()];
                int n = 0;
                for (int s : perClass[cls]) {
                    if (s < 0) {
                        continue;
                    }
                    n++;
                    double[][] a = ref.forward(ReferenceGrid.input(ds, s)).a();
                    for (int l = 1; l <= c.width(); l++) {
                        for (int p = 0; p < c.height(); p++) {
                            mean[l][p] += a[l][p];
                        }
                    }
                }
                for (int l = 1; l <= c.width(); l++) {
                    for (int p = 0; p < c.height(); p++) {
                        double expected = n == 0 ? 0 : mean[l][p] / n;
                        assertEquals(expected, maps.value(cls, p, l - 1), 1e-5, "class " + cls);
                    }
                }
            }
        }
    }

    @Test
    void theThreadCountDoesNotChangeAnyBit() {
        Dataset ds = TestData.random(300, 8);
        int[] order = new int[300];
        for (int i = 0; i < order.length; i++) {
            order[i] = (i * 37) % 300;
        }
        float[][] results = new float[2][];
        for (int threads = 1; threads <= 2; threads++) {
            try (CpuBackend b = new CpuBackend(config(20, 8, 3, Activation.SIN, 100, threads))) {
                b.upload(new DataSplit(ds, ds));
                b.beginEpoch(order);
                for (int step = 0; step < 3; step++) {
                    b.trainStep(step, 1e-3f);
                }
                results[threads - 1] = b.parameters().data(Parameters.GRID_WEIGHT);
            }
        }
        assertArrayEquals(results[0], results[1]);
    }
}
