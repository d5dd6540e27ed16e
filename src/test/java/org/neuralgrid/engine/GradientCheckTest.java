package org.neuralgrid.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.ModelLayout;
import org.neuralgrid.model.RunConfig;

/** The reference backpropagation agrees with central finite differences of the loss, for every tensor. */
class GradientCheckTest {

    static RunConfig config(int h, int w, int k, Activation a) {
        return ConfigBuilder.grid(h, w).kernel(k).activation(a).batch(4).seed(7).samples(16, 16).threads(1).build();
    }

    @ParameterizedTest(name = "k={0} {1}")
    @MethodSource("org.neuralgrid.engine.TestData#kernelsAndActivations")
    void everyParameterTensorMatchesCentralDifferences(int k, Activation activation) {
        RunConfig c = config(7, 4, k, activation);
        Dataset ds = TestData.random(5, 11);
        int[] samples = {0, 1, 2, 3, 4};
        ReferenceGrid ref = new ReferenceGrid(c, ModelLayout.initial(c));
        // shift the biases off zero so that relu's kink and the edges see varied inputs
        for (int i = 0; i < ref.gb.length; i++) {
            ref.gb[i] = 0.1 * Math.sin(i * 1.7);
        }
        double tolerance = activation == Activation.RELU ? 2e-6 : 1e-6; // a nudge can cross relu's kink
        assertMatchesCentralDifferences(ref, ds, samples, (t, length) -> probeIndices(t, length, c), tolerance);
    }

    /** Each probed entry's analytic gradient equals (L(x+e) - L(x-e)) / 2e within abs + 1e-5 relative. */
    static void assertMatchesCentralDifferences(ReferenceGrid ref, Dataset ds, int[] samples,
                                                java.util.function.BiFunction<Integer, Integer, int[]> probes,
                                                double absolute) {
        double[][] analytic = ref.gradients(ds, samples);
        double[][] tensors = ref.tensors();
        for (int t : ref.tensorIndices()) {
            for (int i : probes.apply(t, tensors[t].length)) {
                double saved = tensors[t][i];
                double eps = 1e-6;
                tensors[t][i] = saved + eps;
                double up = ref.meanLoss(ds, samples);
                tensors[t][i] = saved - eps;
                double down = ref.meanLoss(ds, samples);
                tensors[t][i] = saved;
                double numeric = (up - down) / (2 * eps);
                double a = analytic[t][i];
                double tol = absolute + 1e-5 * Math.max(Math.abs(a), Math.abs(numeric));
                assertTrue(Math.abs(a - numeric) <= tol, ReferenceGrid.NAMES[t] + "[" + i + "]: analytic " + a
                        + " vs numeric " + numeric);
            }
        }
    }

    /** Every entry of the grid and output tensors (top and bottom edge cells included), every 7th of W_in. */
    private static int[] probeIndices(int tensor, int length, RunConfig c) {
        int step = tensor == 0 ? 7 : 1;
        int[] idx = new int[(length + step - 1) / step];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i * step;
        }
        return idx;
    }
}
