package org.neuralgrid.engine;

import java.util.Locale;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.engine.cpu.CpuBackend;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;

/**
 * A report, not a test: how far float gradients are from the double reference as a grid gets deeper, at the
 * published initialisation (H = 128, k = 3, gain sqrt 2, 24 random images). Prints one line per depth and
 * activation: the largest relative error over the tensors. See BENCHMARKS.md ("float32 through deep grids").
 */
public final class FloatDepthReport {
    private FloatDepthReport() {
    }

    public static void main(String[] args) {
        Dataset ds = TestData.random(24, 5);
        int[] samples = new int[24];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = i;
        }
        for (Activation a : new Activation[] {Activation.SIN, Activation.TANH}) {
            for (int w : new int[] {8, 16, 32, 64, 128}) {
                RunConfig c = ConfigBuilder.grid(128, w).activation(a).batch(samples.length).threads(2).build();
                try (CpuBackend b = new CpuBackend(c)) {
                    b.upload(new DataSplit(ds, ds));
                    Parameters grads = b.gradients(samples);
                    double[][] expected = new ReferenceGrid(c, b.parameters()).gradients(ds, samples);
                    double max = 0;
                    for (int t = 0; t < expected.length; t++) {
                        max = Math.max(max, ReferenceGrid.relativeError(grads.data(ReferenceGrid.NAMES[t]),
                                expected[t]));
                    }
                    System.out.printf(Locale.ROOT, "%s 128x%d  largest relative error of a gradient %.1e%n",
                            a.id(), w, max);
                }
            }
        }
    }
}
