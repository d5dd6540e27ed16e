package org.neuralgrid.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.ModelLayout;
import org.neuralgrid.model.Normalization;
import org.neuralgrid.model.RunConfig;

/**
 * The reference's gradients of the label-smoothed loss (target (1 - eps) onehot + eps / 10) agree with central
 * finite differences of its smoothed mean loss, for a 2D and a 3D grid; the reference the backends are held to
 * ({@code CpuSmoothingAndDecayTest}, {@code OpenClSmoothingAndDecayAccelTest}) is thereby right too.
 */
class LabelSmoothingGradientCheckTest {

    static ReferenceGrid shiftedBiases(RunConfig c) {
        ReferenceGrid ref = new ReferenceGrid(c, ModelLayout.initial(c));
        for (int i = 0; i < ref.gb.length; i++) {
            ref.gb[i] = 0.1 * Math.sin(i * 1.7);
        }
        return ref;
    }

    @ParameterizedTest(name = "k={0} {1}")
    @MethodSource("org.neuralgrid.engine.TestData#kernelsAndActivations")
    void smoothedGradientsOfA2dGridMatchCentralDifferences(int k, Activation activation) {
        RunConfig c = ConfigBuilder.grid(7, 4).kernel(k).activation(activation).batch(4).seed(7).samples(16, 16)
                .set("labelSmoothing", 0.1).build();
        Dataset ds = TestData.random(5, 11);
        double tolerance = activation == Activation.RELU ? 2e-6 : 1e-6;
        GradientCheckTest.assertMatchesCentralDifferences(shiftedBiases(c), ds, new int[] {0, 1, 2, 3, 4},
                (t, length) -> IntStream.range(0, length).filter(i -> t != 0 || i % 7 == 0).toArray(), tolerance);
    }

    @Test
    void smoothedGradientsOfA3dGridMatchCentralDifferences() {
        RunConfig c = ConfigBuilder.sheets(2).kernel(3).activation(Activation.SIN).batch(3).seed(7)
                .set("labelSmoothing", 0.25).build();
        Dataset ds = TestData.random(3, 21);
        GradientCheckTest.assertMatchesCentralDifferences(shiftedBiases(c), ds, new int[] {0, 1, 2}, Grid3dTest::probes,
                1e-6);
    }

    @Test
    void theHalfNormalisationsGradientsMatchCentralDifferences() {
        RunConfig c = ConfigBuilder.grid(6, 3).activation(Activation.TANH).batch(3).seed(5)
                .set("normalization", Normalization.HALF).set("labelSmoothing", 0.05).build();
        Dataset ds = TestData.random(3, 4);
        GradientCheckTest.assertMatchesCentralDifferences(shiftedBiases(c), ds, new int[] {0, 1, 2},
                (t, length) -> IntStream.range(0, length).filter(i -> t != 0 || i % 5 == 0).toArray(), 1e-6);
    }

    @Test
    void theSmoothedLossIsTheCrossEntropyAgainstTheSmoothedTarget() {
        // (1 - eps) of the plain loss plus eps of the mean over the classes of -log p
        double[] logits = {0.3, -1.2, 2.0, 0.0, 0.7, -0.4, 1.1, -2.5, 0.2, 0.9};
        double eps = 0.1;
        double logSum = 0;
        for (double v : logits) {
            logSum += Math.exp(v);
        }
        logSum = Math.log(logSum);
        double uniform = 0;
        for (double v : logits) {
            uniform += (logSum - v) / logits.length;
        }
        double expected = (1 - eps) * (logSum - logits[4]) + eps * uniform;
        assertEquals(expected, ReferenceGrid.crossEntropy(logits, 4, eps), 1e-12);
        assertEquals(logSum - logits[4], ReferenceGrid.crossEntropy(logits, 4), 1e-12);
        assertTrue(ReferenceGrid.crossEntropy(logits, 4, eps) != ReferenceGrid.crossEntropy(logits, 4));
    }
}
