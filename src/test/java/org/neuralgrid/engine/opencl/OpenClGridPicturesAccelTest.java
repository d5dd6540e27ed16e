package org.neuralgrid.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neuralgrid.engine.opencl.Parity.config;
import static org.neuralgrid.engine.opencl.Parity.config3d;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.engine.ActivationMaps;
import org.neuralgrid.engine.Backend;
import org.neuralgrid.engine.GridPictures;
import org.neuralgrid.io.MapKind;
import org.neuralgrid.engine.TestData;
import org.neuralgrid.engine.cpu.CpuBackend;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.ModelLayout;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;

/**
 * Every picture of the grid (mean, std, contrast, weights, biases) on OpenCL is the Java backend's, for a 2D and
 * a 3D grid, with more samples per class than a launch takes (so the kernel merges spreads across launches, and
 * its launches are cut elsewhere than the Java backend's chunks). Needs an OpenCL device (PoCL will do); skipped
 * without one unless NEURALGRID_REQUIRE_OPENCL=1.
 */
@NeedsOpenCl
class OpenClGridPicturesAccelTest {

    @Test
    void everyPictureOfA2dGridMatchesTheJavaBackend() {
        assertPicturesMatch(config(11, 7, 5, Activation.TANH, 8), TestData.random(200, 51));
    }

    @Test
    void everyPictureOfA3dGridMatchesTheJavaBackend() {
        assertPicturesMatch(config3d(3, 5, Activation.GELU, 8), TestData.random(120, 52));
    }

    /** Both backends on the same parameters (grid biases not zero): each kind within 1e-4 relative. */
    private static void assertPicturesMatch(RunConfig c, Dataset ds) {
        OpenClDevice device = OpenClTestDevice.require();
        int[][] perClass = ds.firstOfEachClass(19);   // more than a batch per class; some classes have fewer
        Parameters parameters = withRandomBiases(c);
        try (CpuBackend cpu = new CpuBackend(c); OpenClBackend gpu = new OpenClBackend(c, device)) {
            Map<MapKind, ActivationMaps> expected = pictures(cpu, ds, parameters, perClass);
            Map<MapKind, ActivationMaps> actual = pictures(gpu, ds, parameters, perClass);
            for (MapKind kind : MapKind.values()) {
                ActivationMaps a = expected.get(kind), b = actual.get(kind);
                assertTrue(a.sameEpochAndShape(b), kind.id() + " shape");
                double err = Parity.relativeError(b.values(), a.values());
                assertTrue(err < 1e-4, kind.id() + " relative error " + err);
            }
        }
    }

    private static Map<MapKind, ActivationMaps> pictures(Backend b, Dataset ds, Parameters p, int[][] perClass) {
        b.setParameters(p);
        b.upload(new DataSplit(ds, ds));
        return GridPictures.of(b.activationMaps(3, perClass), b.parameters());
    }

    /** The initial parameters with grid biases in +-0.2, so that the biases' picture is not all zeros. */
    private static Parameters withRandomBiases(RunConfig c) {
        Parameters p = ModelLayout.initial(c);
        float[] bias = p.data(Parameters.GRID_BIAS);
        Random rng = new Random(53);
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (rng.nextFloat() * 2 - 1) * 0.2f;
        }
        return p;
    }
}
