package org.neuralgrid.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.engine.EvalSet;
import org.neuralgrid.engine.Evaluation;
import org.neuralgrid.engine.ReferenceGrid;
import org.neuralgrid.engine.TestData;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.Normalization;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;

/**
 * Label smoothing and AdamW's decoupled weight decay on the Java backend, against the double-precision reference:
 * the smoothed training loss and its gradients, evaluation that stays plain cross-entropy, and the decayed Adam
 * step. (The reference's smoothed gradients against finite differences: {@code LabelSmoothingGradientCheckTest}.)
 */
class CpuSmoothingAndDecayTest {

    static RunConfig grid2d(int k, Activation a, int batch, double smoothing) {
        return ConfigBuilder.grid(13, 6).kernel(k).activation(a).batch(batch).threads(2)
                .set("labelSmoothing", smoothing).build();
    }

    static void assertGradientsMatchTheReference(RunConfig c, Dataset ds, int[] samples) {
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

    @ParameterizedTest(name = "k={0} {1}")
    @MethodSource("org.neuralgrid.engine.TestData#kernelsAndActivations")
    void smoothedGradientsOfA2dGridMatchTheDoubleReference(int k, Activation activation) {
        // 37 samples: a partial chunk; height 13: no multiple of a row block or a vector
        Dataset ds = TestData.random(40, 5);
        int[] samples = IntStream.range(0, 37).map(i -> (i * 7) % 40).toArray();
        assertGradientsMatchTheReference(grid2d(k, activation, 37, 0.1), ds, samples);
    }

    @ParameterizedTest(name = "k={0}")
    @ValueSource(ints = {3, 5})
    void smoothedGradientsOfA3dGridMatchTheDoubleReference(int k) {
        RunConfig c = ConfigBuilder.sheets(2).kernel(k).activation(Activation.SIN).batch(21).lr(3e-3).seed(7)
                .set("labelSmoothing", 0.1).build();
        Dataset ds = TestData.random(25, 3);
        int[] samples = IntStream.range(0, 21).map(i -> (i * 4) % 25).toArray();
        assertGradientsMatchTheReference(c, ds, samples);
    }

    @Test
    void gradientsUnderTheHalfNormalisationMatchTheDoubleReference() {
        RunConfig c = ConfigBuilder.grid(13, 4).batch(20).set("normalization", Normalization.HALF)
                .set("labelSmoothing", 0.2).build();
        Dataset ds = TestData.random(20, 12);
        assertGradientsMatchTheReference(c, ds, IntStream.range(0, 20).toArray());
    }

    @Test
    void smoothingChangesTheGradientByEpsTimesTheUniformMinusTheOnehotTarget() {
        // dL/dlogits differs by eps (onehot - 1/K): so does the output bias gradient, summed over the samples
        Dataset ds = TestData.random(30, 6);
        int[] samples = IntStream.range(0, 30).toArray();
        float[] plain, smoothed;
        try (CpuBackend b = new CpuBackend(grid2d(3, Activation.TANH, 30, 0))) {
            b.upload(new DataSplit(ds, ds));
            plain = b.gradients(samples).data(Parameters.OUT_BIAS);
        }
        try (CpuBackend b = new CpuBackend(grid2d(3, Activation.TANH, 30, 0.1))) {
            b.upload(new DataSplit(ds, ds));
            smoothed = b.gradients(samples).data(Parameters.OUT_BIAS);
        }
        for (int c = 0; c < 10; c++) {
            int withLabel = 0;
            for (int s : samples) {
                withLabel += ds.label(s) == c ? 1 : 0;
            }
            double expected = 0.1 * ((double) withLabel / samples.length - 0.1);
            assertEquals(expected, smoothed[c] - plain[c], 1e-6, "class " + c);
        }
    }

    @Test
    void theTrainingLossIsTheSmoothedCrossEntropy() {
        RunConfig c = grid2d(3, Activation.SIN, 24, 0.15);
        Dataset ds = TestData.random(24, 7);
        int[] order = IntStream.range(0, 24).map(i -> 23 - i).toArray();
        try (CpuBackend b = new CpuBackend(c)) {
            b.upload(new DataSplit(ds, ds));
            double expected = new ReferenceGrid(c, b.parameters()).meanLoss(ds, order);
            double plain = new ReferenceGrid(grid2d(3, Activation.SIN, 24, 0), b.parameters()).meanLoss(ds, order);
            b.beginEpoch(order);
            b.trainStep(0, 1e-3f);
            assertEquals(expected, b.trainMetrics().meanLoss(), 1e-5);
            assertTrue(Math.abs(expected - plain) > 1e-3, "smoothing changes the training loss: " + expected + " vs "
                    + plain);
        }
    }

    @Test
    void evaluationStaysPlainCrossEntropyOnTheValidationAndTestSets() {
        RunConfig smoothed = grid2d(3, Activation.SIN, 16, 0.3);
        RunConfig plain = grid2d(3, Activation.SIN, 16, 0);
        Dataset train = TestData.random(40, 1), validation = TestData.random(33, 2), test = TestData.random(71, 3);
        try (CpuBackend b = new CpuBackend(smoothed)) {
            b.upload(new DataSplit(train, validation, test));
            ReferenceGrid ref = new ReferenceGrid(plain, b.parameters());
            Evaluation v = b.evaluate(EvalSet.VALIDATION), t = b.evaluate(EvalSet.TEST);
            assertEquals(ref.meanLoss(validation, IntStream.range(0, 33).toArray()), v.loss(), 1e-5);
            assertEquals(ref.meanLoss(test, IntStream.range(0, 71).toArray()), t.loss(), 1e-5);
            assertEquals(33, v.samples());
            assertEquals(71, t.samples());
            assertEquals(accuracy(ref, validation), v.accuracy(), 1e-12);
            assertEquals(accuracy(ref, test), t.accuracy(), 1e-12);
        }
    }

    @Test
    void anEmptyValidationSetEvaluatesToNaN() {
        RunConfig c = grid2d(3, Activation.SIN, 16, 0);
        Dataset ds = TestData.random(40, 1);
        try (CpuBackend b = new CpuBackend(c)) {
            b.upload(new DataSplit(ds, ds));
            Evaluation v = b.evaluate(EvalSet.VALIDATION);
            assertTrue(Double.isNaN(v.loss()) && Double.isNaN(v.accuracy()), v.toString());
            assertEquals(0, v.samples());
        }
    }

    static double accuracy(ReferenceGrid ref, Dataset ds) {
        int correct = 0;
        for (int s = 0; s < ds.count(); s++) {
            double[] logits = ref.forward(ReferenceGrid.input(ds, s)).logits();
            int best = 0;
            for (int j = 1; j < logits.length; j++) {
                best = logits[j] > logits[best] ? j : best;
            }
            correct += best == ds.label(s) ? 1 : 0;
        }
        return (double) correct / ds.count();
    }

    @Test
    void oneAdamWStepDecaysEveryParameterThenTakesTheAdamStep() {
        double wd = 0.05;
        RunConfig c = ConfigBuilder.grid(9, 5).activation(Activation.TANH).batch(20).threads(2)
                .set("weightDecay", wd).set("labelSmoothing", 0.1).build();
        Dataset ds = TestData.random(20, 4);
        int[] order = IntStream.range(0, 20).map(i -> 19 - i).toArray();
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
                float[] p1 = after.data(ReferenceGrid.NAMES[t]);
                for (int i = 0; i < p0.length; i++) {
                    // first step: m^ = g, v^ = g^2, so p = p (1 - lr wd) - lr g / (|g| + eps)
                    double expected = p0[i] * (1 - lr * wd) - lr * g[t][i] / (Math.abs(g[t][i]) + 1e-8);
                    double tol = Math.abs(g[t][i]) < 1e-6 ? lr * 1.01 : 1e-6;
                    assertEquals(expected, p1[i], tol, ReferenceGrid.NAMES[t] + "[" + i + "]");
                }
            }
            assertEquals(1, b.optimizerState().step());
        }
    }

    @Test
    void theDecayIsDecoupledFromTheGradientAndItsMoments() {
        // the same step with and without decay: parameters differ by exactly lr * wd * p, the moments not at all
        // (coupled L2 decay would add wd * p to the gradient, changing the moments and the Adam step)
        double wd = 0.2;
        float lr = 0.05f;
        Dataset ds = TestData.random(32, 9);
        int[] order = IntStream.range(0, 32).toArray();
        RunConfig plainConfig = ConfigBuilder.grid(11, 4).batch(16).threads(2).build();
        RunConfig decayConfig = ConfigBuilder.grid(11, 4).batch(16).threads(2).set("weightDecay", wd).build();
        try (CpuBackend plain = new CpuBackend(plainConfig); CpuBackend decayed = new CpuBackend(decayConfig)) {
            plain.upload(new DataSplit(ds, ds));
            decayed.upload(new DataSplit(ds, ds));
            Parameters p0 = plain.parameters();
            for (CpuBackend b : new CpuBackend[] {plain, decayed}) {
                b.beginEpoch(order);
                b.trainStep(0, lr);
            }
            Parameters a = plain.parameters(), d = decayed.parameters();
            for (var t : p0.tensors()) {
                float[] before = t.data(), pa = a.data(t.name()), pd = d.data(t.name());
                for (int i = 0; i < before.length; i++) {
                    double expected = -lr * wd * before[i];
                    assertEquals(expected, pd[i] - pa[i], 1e-6 * (1 + Math.abs(before[i])), t.name() + "[" + i + "]");
                }
            }
            for (var t : p0.tensors()) {
                assertArrayEquals(
                        plain.optimizerState().firstMoment().data(t.name()),
                        decayed.optimizerState().firstMoment().data(t.name()), "first moment of " + t.name());
                assertArrayEquals(
                        plain.optimizerState().secondMoment().data(t.name()),
                        decayed.optimizerState().secondMoment().data(t.name()), "second moment of " + t.name());
            }
        }
    }
}
