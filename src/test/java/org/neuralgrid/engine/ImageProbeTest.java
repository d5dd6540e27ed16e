package org.neuralgrid.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.ModelLayout;
import org.neuralgrid.model.Normalization;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;

/**
 * Probing one image: the logits and every cell's activation are the reference's; the saliency of a class is the
 * derivative of its logit, by cell and by pixel, as central finite differences measure it.
 */
class ImageProbeTest {

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("2D 9x5 k=3 sin", ConfigBuilder.grid(9, 5).kernel(3).activation(Activation.SIN).build()),
                Arguments.of("2D 7x4 k=5 gelu half", ConfigBuilder.grid(7, 4).kernel(5).activation(Activation.GELU)
                        .build().with(java.util.Map.of("normalization", Normalization.HALF))),
                Arguments.of("3D 2 sheets k=3 tanh", ConfigBuilder.sheets(2).kernel(3).activation(Activation.TANH)
                        .build()));
    }

    /** Initial parameters with the grid biases moved off zero, so every path carries something. */
    static Parameters parameters(RunConfig c) {
        Parameters p = ModelLayout.initial(c).copy();
        float[] gb = p.data(Parameters.GRID_BIAS);
        for (int i = 0; i < gb.length; i++) {
            gb[i] = (float) (0.1 * Math.sin(i * 1.7));
        }
        return p;
    }

    static float[] image(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] px = new float[RunConfig.IMAGE_SIZE];
        for (int m = 0; m < px.length; m++) {
            px[m] = (float) r.nextDouble();
        }
        return px;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void logitsAndActivationsAreTheReferencesAndProbabilitiesSumToOne(String name, RunConfig c) {
        Parameters p = parameters(c);
        float[] px = image(3);
        ImageProbe probe = ImageProbe.of(c, p, px, -1);
        double[] x = new double[px.length];
        for (int m = 0; m < x.length; m++) {
            x[m] = (px[m] - (double) c.normalization().mean()) / c.normalization().std();
        }
        ReferenceGrid.Pass ref = new ReferenceGrid(c, p).forward(x);
        for (int k = 0; k < RunConfig.CLASSES; k++) {
            assertEquals(ref.logits()[k], probe.logits()[k], 1e-9, "logit " + k);
        }
        ActivationMaps a = probe.activations();
        int layers = ref.a().length - 1;
        int cells = ref.a()[0].length;
        for (int l = 1; l <= layers; l++) {
            for (int q = 0; q < cells; q++) {
                float got = c.is3d() ? a.values()[(l - 1) * cells + q] : a.value(0, q, l - 1);
                assertEquals(ref.a()[l][q], got, 1e-6, "layer " + l + " cell " + q);
            }
        }
        double sum = 0;
        for (double v : probe.probabilities()) {
            sum += v;
        }
        assertEquals(1, sum, 1e-12);
        assertEquals(argmax(ref.logits()), probe.predicted());
        assertEquals(probe.predicted(), probe.saliencyClass(), "without a class, the predicted one");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void cellSaliencyIsTheLogitsDerivativeByEachCellsActivation(String name, RunConfig c) {
        Parameters p = parameters(c);
        float[] px = image(5);
        int cls = 4;
        ImageProbe probe = ImageProbe.of(c, p, px, cls);
        float[] gb = p.data(Parameters.GRID_BIAS);
        int cells = c.cellsPerLayer();
        int layers = gb.length / cells;
        ReferenceGrid.Pass pass = new ReferenceGrid(c, p).forward(inputs(c, px));
        // d logit / d bias of cell (l, q) = saliency of (l, q) * h'(z): the bias enters the cell just before h
        for (int l = 1; l <= layers; l++) {
            for (int q = 0; q < cells; q += Math.max(1, cells / 13)) {
                int at = (l - 1) * cells + q;
                float saved = gb[at];
                gb[at] = saved + 1e-3f;
                double up = ImageProbe.of(c, p, px, cls).logits()[cls];
                float upValue = gb[at];
                gb[at] = saved - 1e-3f;
                double down = ImageProbe.of(c, p, px, cls).logits()[cls];
                double numeric = (up - down) / ((double) upValue - gb[at]);
                gb[at] = saved;
                float s = c.is3d() ? probe.cellSaliency().values()[at] : probe.cellSaliency().value(0, q, l - 1);
                double analytic = s * c.activation().derivative(pass.z()[l][q]);
                assertEquals(numeric, analytic, 1e-5 + 1e-4 * Math.abs(numeric), "layer " + l + " cell " + q);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void pixelSaliencyIsTheLogitsDerivativeByEachPixelsBrightness(String name, RunConfig c) {
        Parameters p = parameters(c);
        float[] px = image(9);
        int cls = 7;
        ImageProbe probe = ImageProbe.of(c, p, px, cls);
        double largest = 0;
        for (int m = 0; m < px.length; m += 11) {
            float saved = px[m];
            px[m] = saved + 1e-3f;
            double up = ImageProbe.of(c, p, px, cls).logits()[cls];
            float upValue = px[m];
            px[m] = saved - 1e-3f;
            double down = ImageProbe.of(c, p, px, cls).logits()[cls];
            double numeric = (up - down) / ((double) upValue - px[m]);
            px[m] = saved;
            largest = Math.max(largest, Math.abs(numeric));
            assertEquals(numeric, probe.pixelSaliency()[m], 1e-5 + 1e-4 * Math.abs(numeric), "pixel " + m);
        }
        assertTrue(largest > 1e-4, "the pixels matter at all: " + largest);
    }

    @Test
    void aProbeRefusesAnImageOfAnotherSizeAClassOutOfRangeAndAnotherGridsParameters() {
        RunConfig c = ConfigBuilder.grid(9, 5).build();
        Parameters p = parameters(c);
        assertThrows(IllegalArgumentException.class, () -> ImageProbe.of(c, p, new float[783], 0));
        assertThrows(IllegalArgumentException.class, () -> ImageProbe.of(c, p, image(1), 10));
        RunConfig other = ConfigBuilder.grid(9, 6).build();
        assertThrows(IllegalArgumentException.class, () -> ImageProbe.of(other, p, image(1), 0));
    }

    private static double[] inputs(RunConfig c, float[] px) {
        double[] x = new double[px.length];
        for (int m = 0; m < x.length; m++) {
            x[m] = (px[m] - (double) c.normalization().mean()) / c.normalization().std();
        }
        return x;
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
