package org.neuralgrid.engine.opencl;

import org.jocl.Sizeof;
import org.neuralgrid.model.RunConfig;

/**
 * The device buffers whose size depends only on the model: parameters, gradient and both Adam moments (each in
 * the {@link FlatLayout}), the byte-to-float pixel table and the per-class activation maps (sums and squared deviations).
 */
final class ModelBuffers implements AutoCloseable {
    final ClBuffer params;   // (P) flat
    final ClBuffer grad;     // (P)
    final ClBuffer m;        // (P) Adam first moment
    final ClBuffer v;        // (P) Adam second moment
    final ClBuffer lut;      // (256) the input of each pixel byte under the run's normalisation
    final ClBuffer maps;     // (10, C, W) in 2D, (10, W, C) in 3D: sums of activations per class
    final ClBuffer squaredDeviations;   // as maps: sums of squared deviations from the class mean

    ModelBuffers(ClContext cl, FlatLayout layout, RunConfig config) {
        long p = (long) layout.size() * Sizeof.cl_float;
        long mapBytes = (long) RunConfig.CLASSES * config.cellsPerLayer() * config.depth() * Sizeof.cl_float;
        ClBuffer[] made = new ClBuffer[7];
        try {
            made[0] = cl.buffer("parameters", p);
            made[1] = cl.buffer("gradient", p);
            made[2] = cl.buffer("adam.m", p);
            made[3] = cl.buffer("adam.v", p);
            made[4] = cl.buffer("pixel table", 256L * Sizeof.cl_float);
            made[5] = cl.buffer("activation maps", mapBytes);
            made[6] = cl.buffer("activation squared deviations", mapBytes);
        } catch (RuntimeException e) {
            Releaser.closeAll(made[6], made[5], made[4], made[3], made[2], made[1], made[0]);
            throw e;
        }
        params = made[0];
        grad = made[1];
        m = made[2];
        v = made[3];
        lut = made[4];
        maps = made[5];
        squaredDeviations = made[6];
        lut.write(config.normalization().table());
        grad.zero();
    }

    @Override
    public void close() {
        Releaser.closeAll(squaredDeviations, maps, lut, v, m, grad, params);
    }
}
