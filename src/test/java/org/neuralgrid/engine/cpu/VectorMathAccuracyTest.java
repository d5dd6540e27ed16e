package org.neuralgrid.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.RunConfig;

/**
 * The vector sine, cosine and tanh behind the activations agree with java.lang.Math over the whole range a grid
 * meets, large arguments included: checked through a one-layer identity-weight grid whose activation maps are
 * h(z) of known z.
 */
class VectorMathAccuracyTest {
    @Test
    void activationsMatchMathAcrossTheirRange() {
        for (Activation a : Activation.values()) {
            double worst = worstError(a);
            assertTrue(worst < 4e-7, a + ": worst absolute error " + worst);
        }
    }

    private static double worstError(Activation a) {
        // a 1x1 grid with weight 0 and bias z: the only cell's activation is h(z)
        RunConfig c = ConfigBuilder.grid(1, 1).activation(a).gain(1).batch(1).samples(1, 1).threads(1).build();
        Dataset one = new Dataset("one", 1, 28, 28, new byte[784], new byte[] {0});
        double worst = 0;
        try (CpuBackend b = new CpuBackend(c)) {
            b.upload(new DataSplit(one, one));
            var p = b.parameters();
            p.data("grid.weight")[0] = 0;
            for (int i = -20000; i <= 20000; i++) {
                double z = i < -10000 || i > 10000 ? i * 1.37 : i * 0.00731;
                p.data("grid.bias")[0] = (float) z;
                b.setParameters(p);
                float got = b.activationMaps(0, new int[][] {{0}, {}, {}, {}, {}, {}, {}, {}, {}, {}}).mean().value(0, 0, 0);
                double want = a.apply((float) z);
                worst = Math.max(worst, Math.abs(got - want) / Math.max(1, Math.abs(want)));
            }
        }
        return worst;
    }
}
