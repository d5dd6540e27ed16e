package org.neuralgrid.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.data.SyntheticData;
import org.neuralgrid.engine.catalog.BackendCatalog;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.ModelLayout;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;

/**
 * The 3D grid: 28x28 sheets with k x k windows; the reference's backpropagation checked by finite differences, the
 * layout, and a task it learns. (The Java backend against the reference: {@code engine.cpu.CpuGrid3dTest}.)
 */
class Grid3dTest {

    static RunConfig config(int layers, int k, Activation a, int batch) {
        return ConfigBuilder.sheets(layers).kernel(k).activation(a).batch(batch).lr(3e-3).seed(7).build();
    }

    /** Corners, edges and a spread of inner cells of every sheet; every output weight is too many, so a stride. */
    static int[] probes(int tensor, int length) {
        if (tensor == 2 || tensor == 3) {
            int sheet = 28 * 28;
            return IntStream.range(0, length).filter(i -> {
                int p = i % sheet, row = p / 28, col = p % 28;
                return row < 2 || row > 25 || col < 2 || col > 25 || p % 37 == 0;
            }).toArray();
        }
        return IntStream.range(0, length).filter(i -> tensor == 5 || i % 53 == 0).toArray();
    }

    @ParameterizedTest(name = "k={0} {1}")
    @MethodSource("org.neuralgrid.engine.TestData#kernelsAndActivations")
    void everyTensorMatchesCentralDifferencesIncludingCornersAndEdges(int k, Activation activation) {
        RunConfig c = config(2, k, activation, 3);
        Dataset ds = TestData.random(3, 21);
        int[] samples = {0, 1, 2};
        ReferenceGrid ref = new ReferenceGrid(c, ModelLayout.initial(c));
        for (int i = 0; i < ref.gb.length; i++) {
            ref.gb[i] = 0.1 * Math.sin(i * 1.3);
        }
        GradientCheckTest.assertMatchesCentralDifferences(ref, ds, samples, Grid3dTest::probes, 2e-6);
    }

    @Test
    void theLayoutHasSheetShapedGridTensorsAndNoInputLayer() {
        Parameters p = ModelLayout.zeros(config(5, 3, Activation.SIN, 4));
        assertEquals(List.of(Parameters.GRID_WEIGHT, Parameters.GRID_BIAS, Parameters.OUT_WEIGHT,
                Parameters.OUT_BIAS), p.tensors().stream().map(t -> t.name()).toList());
        assertEquals("[5, 28, 28]", p.get(Parameters.GRID_WEIGHT).shapeText());
        assertEquals("[10, 784]", p.get(Parameters.OUT_WEIGHT).shapeText());
    }

    @Test
    void aSmallSyntheticTaskIsLearned() {
        RunConfig c = ConfigBuilder.sheets(4).batch(32).lr(2e-3).epochs(3).seed(1).samples(4000, 500).build();
        DataSplit data = SyntheticData.generate(c.samples(), c.testSamples(), c.seed());
        TrainerTest.Recorder rec = new TrainerTest.Recorder();
        try (Backend b = BackendCatalog.standard().open(c)) {
            b.upload(data);
            new Trainer(c, b, data, rec, Trainer.Checkpoints.NONE).train(1, BestEpoch.NONE, () -> false);
        }
        double acc = rec.epochs.get(rec.epochs.size() - 1).testAccuracy();
        assertTrue(acc > 0.9, "test accuracy " + acc);
    }
}
