package org.neuralgrid.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neuralgrid.engine.opencl.Parity.assertClose;
import static org.neuralgrid.engine.opencl.Parity.config3d;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.data.SyntheticData;
import org.neuralgrid.engine.ActivationMaps;
import org.neuralgrid.engine.Backend;
import org.neuralgrid.engine.catalog.BackendCatalog;
import org.neuralgrid.engine.TestData;
import org.neuralgrid.engine.EpochMetrics;
import org.neuralgrid.engine.cpu.CpuBackend;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;

/**
 * The 3D grid on OpenCL computes what the Java backend computes: 28x28 sheets, k x k windows, the image as the
 * first sheet. Needs an OpenCL device (PoCL will do); skipped without one unless NEURALGRID_REQUIRE_OPENCL=1.
 */
@NeedsOpenCl
class OpenClGrid3dAccelTest {
    static final int SHEET = RunConfig.SHEET;

    // Every activation with k = 3 and 5. (A sheet of 784 cells is one sample a work-group of 256 work-items on a
    // GPU and on a CPU device alike; the other cuts have their own test.)
    @ParameterizedTest(name = "k={0} {1}")
    @MethodSource("org.neuralgrid.engine.TestData#kernelsAndActivations")
    void gradientsOfEveryTensorMatchTheJavaBackend(int k, Activation activation) {
        OpenClDevice device = OpenClTestDevice.require();
        RunConfig c = config3d(3, k, activation, 13);   // 13 samples: a multiple of nothing the kernels group by
        Dataset ds = TestData.random(20, 31);
        int[] samples = Parity.spread(13, 20);
        try (CpuBackend cpu = new CpuBackend(c); OpenClBackend gpu = new OpenClBackend(c, device)) {
            assertTrue(gpu.tuning().contains("-D GRID_3D") && gpu.tuning().contains("-D RR=" + k / 2),
                    gpu.tuning());
            Parameters expected = Parity.gradients(cpu, ds, samples), actual = Parity.gradients(gpu, ds, samples);
            assertClose(expected, actual, 1e-4, "gradient");
            assertFrameCellsClose(expected, actual, k);
        }
    }

    /**
     * The cells of the outer k/2 + 1 rows and columns of every sheet, each against its own value: their windows
     * reach into the zero padding, so a wrong frame shows there first, and a tensor-wide tolerance could hide a
     * small cell.
     */
    static void assertFrameCellsClose(Parameters expected, Parameters actual, int k) {
        int band = k / 2 + 1;
        for (String name : List.of(Parameters.GRID_WEIGHT, Parameters.GRID_BIAS)) {
            float[] e = expected.data(name), a = actual.data(name);
            double max = 0;
            for (float v : e) {
                max = Math.max(max, Math.abs(v));
            }
            int checked = 0;
            for (int i = 0; i < e.length; i++) {
                int p = i % (SHEET * SHEET), row = p / SHEET, col = p % SHEET;
                if (row < band || row >= SHEET - band || col < band || col >= SHEET - band) {
                    assertEquals(e[i], a[i], 1e-3 * Math.abs(e[i]) + 1e-6 * max,
                            name + " at layer " + i / (SHEET * SHEET) + " row " + row + " col " + col);
                    checked++;
                }
            }
            assertTrue(checked >= 4 * (SHEET - band) * band, name + ": " + checked + " frame cells");
        }
    }

    @Test
    void theWidestWindowASheetAllowsMatchesTheJavaBackend() {
        OpenClDevice device = OpenClTestDevice.require();
        int k = 2 * SHEET - 1;   // every cell's window covers the whole sheet, and more of the frame than the sheet
        RunConfig c = config3d(2, k, Activation.TANH, 5);
        Dataset ds = TestData.random(7, 35);
        int[] samples = Parity.spread(5, 7);
        try (CpuBackend cpu = new CpuBackend(c); OpenClBackend gpu = new OpenClBackend(c, device)) {
            Parameters expected = Parity.gradients(cpu, ds, samples), actual = Parity.gradients(gpu, ds, samples);
            assertClose(expected, actual, 1e-4, "gradient");
            assertFrameCellsClose(expected, actual, k);
        }
    }

    @Test
    void severalSamplesAWorkGroupAWorkItemPerCellAndTheGlobalMemoryVariantMatchTheJavaBackend() {
        OpenClDevice device = OpenClTestDevice.require();
        RunConfig c = config3d(4, 3, Activation.TANH, 11);
        Dataset ds = TestData.random(15, 32);
        int[] samples = Parity.spread(11, 15);
        List<Tuning> cuts = List.of(new Tuning(false, 0, 3 * 784), new Tuning(true, 0, 0),
                new Tuning(true, 0, 2 * 784), new Tuning(false, 0, 0, 1024));
        try (CpuBackend cpu = new CpuBackend(c)) {
            Parameters expected = Parity.gradients(cpu, ds, samples);
            for (Tuning t : cuts) {
                try (OpenClBackend gpu = new OpenClBackend(c, device, t)) {
                    int s = t.targetCells() / 784;
                    assertTrue(gpu.tuning().contains("-D S=" + Math.max(1, s)), gpu.tuning());
                    assertEquals(t.globalScratch(), gpu.tuning().contains("GLOBAL_SCRATCH"));
                    assertTrue(t.maxGridWg() == 0 || gpu.tuning().contains("-D WG=800 -D CPT=1"), gpu.tuning());
                    assertClose(expected, Parity.gradients(gpu, ds, samples), 1e-4, gpu.tuning());
                }
            }
        }
    }

    @Test
    void activationMapsOfEverySheetMatchTheJavaBackend() {
        OpenClDevice device = OpenClTestDevice.require();
        RunConfig c = config3d(3, 5, Activation.GELU, 8);
        Dataset ds = TestData.random(120, 33);
        int[][] perClass = ds.firstOfEachClass(13);   // more than a batch per class; some classes have fewer
        try (CpuBackend cpu = new CpuBackend(c); OpenClBackend gpu = new OpenClBackend(c, device)) {
            cpu.upload(new DataSplit(ds, ds));
            gpu.upload(new DataSplit(ds, ds));
            ActivationMaps a = cpu.activationMaps(4, perClass).mean(), b = gpu.activationMaps(4, perClass).mean();
            assertTrue(b.sheets());
            assertEquals(List.of(4, 10, 3, SHEET, SHEET), List.of(b.epoch(), b.classes(), b.layers(), b.rows(),
                    b.cols()));
            for (int i = 0; i < a.values().length; i++) {
                assertEquals(a.values()[i], b.values()[i], 1e-5, "value " + i);
            }
        }
    }

    @Test
    void evaluationMatchesTheJavaBackend() {
        OpenClDevice device = OpenClTestDevice.require();
        // more than one evaluation chunk, the last one partial
        Parity.assertEvaluationsMatch(config3d(5, 3, Activation.SIN, 16), device, TestData.random(301, 34));
    }

    @Test
    void trainingGivesTheJavaBackendsLossesAndLearnsASyntheticTask() {
        OpenClTestDevice.require();
        RunConfig c = ConfigBuilder.sheets(4).batch(32).lr(2e-3).epochs(3).seed(1).samples(4000, 500)
                .backend("opencl").build();
        DataSplit data = SyntheticData.generate(c.samples(), c.testSamples(), c.seed());
        List<EpochMetrics> cpu = Parity.train(c, new CpuBackend(c), data);
        Backend opened = BackendCatalog.standard().open(c);
        assertInstanceOf(OpenClBackend.class, opened, "--backend opencl runs a 3D grid on OpenCL");
        List<EpochMetrics> gpu = Parity.train(c, opened, data);
        assertEquals(3, gpu.size());
        for (int e = 0; e < 3; e++) {
            EpochMetrics a = cpu.get(e), b = gpu.get(e);
            assertEquals(a.trainLoss(), b.trainLoss(), 1e-3, "train loss of epoch " + (e + 1));
            assertEquals(a.testLoss(), b.testLoss(), 1e-3, "test loss of epoch " + (e + 1));
        }
        double accuracy = gpu.get(2).testAccuracy();
        assertTrue(accuracy > 0.9, "test accuracy " + accuracy);
    }
}
