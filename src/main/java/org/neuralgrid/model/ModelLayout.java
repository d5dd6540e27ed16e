package org.neuralgrid.model;

import static org.neuralgrid.model.Parameters.*;

import java.util.List;
import java.util.SplittableRandom;

/** The tensors of a 2D NeuralGrid and their initial values. */
public final class ModelLayout {
    private ModelLayout() {
    }

    /** Zero-filled parameters in the order they are stored. */
    public static Parameters zeros(RunConfig c) {
        int h = c.height();
        return new Parameters(List.of(
                Tensor.zeros(IN_WEIGHT, h, RunConfig.IMAGE_SIZE),
                Tensor.zeros(IN_BIAS, h),
                Tensor.zeros(GRID_WEIGHT, c.width(), h),
                Tensor.zeros(GRID_BIAS, c.width(), h),
                Tensor.zeros(OUT_WEIGHT, RunConfig.CLASSES, h),
                Tensor.zeros(OUT_BIAS, RunConfig.CLASSES)));
    }

    /**
     * The published initialisation: grid weights uniform in +-gain*sqrt(6/(k+k)) (Xavier with fan-in = fan-out
     * = k), grid biases zero, both dense layers as PyTorch's nn.Linear (uniform in +-1/sqrt(fan_in)).
     */
    public static Parameters initial(RunConfig c) {
        Parameters p = zeros(c);
        SplittableRandom rng = new SplittableRandom(c.seed());
        uniform(p.data(IN_WEIGHT), 1 / Math.sqrt(RunConfig.IMAGE_SIZE), rng);
        uniform(p.data(IN_BIAS), 1 / Math.sqrt(RunConfig.IMAGE_SIZE), rng);
        uniform(p.data(GRID_WEIGHT), c.gain() * Math.sqrt(6.0 / (c.kernel() + c.kernel())), rng);
        uniform(p.data(OUT_WEIGHT), 1 / Math.sqrt(c.height()), rng);
        uniform(p.data(OUT_BIAS), 1 / Math.sqrt(c.height()), rng);
        return p;
    }

    private static void uniform(float[] a, double limit, SplittableRandom rng) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
        }
    }
}
