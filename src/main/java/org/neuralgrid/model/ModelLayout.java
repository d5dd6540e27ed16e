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
        if (c.is3d()) {
            int s = RunConfig.SHEET;
            return new Parameters(List.of(
                    Tensor.zeros(GRID_WEIGHT, c.layers(), s, s),
                    Tensor.zeros(GRID_BIAS, c.layers(), s, s),
                    Tensor.zeros(OUT_WEIGHT, RunConfig.CLASSES, s * s),
                    Tensor.zeros(OUT_BIAS, RunConfig.CLASSES)));
        }
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
     * The published initialisation: grid weights uniform in +-gain*sqrt(6/(fan_in+fan_out)) with fan-in = fan-out
     * = k (2D) or k*k (3D), grid biases zero, dense layers as PyTorch's nn.Linear (uniform in +-1/sqrt(fan_in)).
     */
    public static Parameters initial(RunConfig c) {
        Parameters p = zeros(c);
        SplittableRandom rng = new SplittableRandom(c.seed());
        if (!c.is3d()) {
            uniform(p.data(IN_WEIGHT), 1 / Math.sqrt(RunConfig.IMAGE_SIZE), rng);
            uniform(p.data(IN_BIAS), 1 / Math.sqrt(RunConfig.IMAGE_SIZE), rng);
        }
        int fan = c.is3d() ? c.kernel() * c.kernel() : c.kernel();
        uniform(p.data(GRID_WEIGHT), c.gain() * Math.sqrt(6.0 / (fan + fan)), rng);
        uniform(p.data(OUT_WEIGHT), 1 / Math.sqrt(c.cellsPerLayer()), rng);
        uniform(p.data(OUT_BIAS), 1 / Math.sqrt(c.cellsPerLayer()), rng);
        return p;
    }

    private static void uniform(float[] a, double limit, SplittableRandom rng) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
        }
    }
}
