package org.neuralgrid.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neuralgrid.engine.opencl.Parity.assertClose;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuralgrid.data.Augmentation;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.data.SyntheticData;
import org.neuralgrid.engine.Backend;
import org.neuralgrid.engine.EpochMetrics;
import org.neuralgrid.engine.EvalSet;
import org.neuralgrid.engine.Evaluation;
import org.neuralgrid.engine.TestData;
import org.neuralgrid.engine.TrainMetrics;
import org.neuralgrid.engine.cpu.CpuBackend;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.Augment;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.Normalization;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.Schedule;

/**
 * Issue 10's training features on OpenCL give what the Java backend gives: label smoothing (dense.cl's
 * output_loss), AdamW's decoupled decay (adam.cl), the validation set's evaluation, the epoch's augmented images,
 * and a whole run with all of them at once.
 */
@NeedsOpenCl
class OpenClSmoothingAndDecayAccelTest {

    static RunConfig smoothed(RunConfig c, double eps) {
        return c.with("labelSmoothing", eps);
    }

    static List<Arguments> activationsAndHeights() {
        List<Arguments> list = new ArrayList<>();
        for (Activation a : Activation.values()) {
            list.add(Arguments.of(3, a, 13));
        }
        list.add(Arguments.of(5, Activation.SIN, 37));
        return list;
    }

    @ParameterizedTest(name = "k={0} {1} H={2}")
    @MethodSource("activationsAndHeights")
    void smoothedGradientsOfA2dGridMatchTheJavaBackend(int k, Activation activation, int h) {
        OpenClDevice device = OpenClTestDevice.require();
        RunConfig c = smoothed(Parity.config(h, 6, k, activation, 41), 0.1);
        Dataset ds = TestData.random(50, 5);
        int[] samples = Parity.spread(41, 50);
        try (CpuBackend cpu = new CpuBackend(c); OpenClBackend gpu = new OpenClBackend(c, device)) {
            assertClose(Parity.gradients(cpu, ds, samples), Parity.gradients(gpu, ds, samples), 1e-4,
                    "smoothed gradient");
        }
    }

    @Test
    void smoothedGradientsOfA3dGridMatchTheJavaBackend() {
        OpenClDevice device = OpenClTestDevice.require();
        RunConfig c = smoothed(Parity.config3d(2, 3, Activation.SIN, 9), 0.2);
        Dataset ds = TestData.random(12, 8);
        int[] samples = Parity.spread(9, 12);
        try (CpuBackend cpu = new CpuBackend(c); OpenClBackend gpu = new OpenClBackend(c, device)) {
            assertClose(Parity.gradients(cpu, ds, samples), Parity.gradients(gpu, ds, samples), 1e-4,
                    "smoothed 3D gradient");
        }
    }

    @Test
    void smoothingChangesTheOpenClGradient() {
        // so that the parity above is no accident of a kernel ignoring its smoothing argument
        OpenClDevice device = OpenClTestDevice.require();
        RunConfig plain = Parity.config(13, 3, 3, Activation.TANH, 20);
        Dataset ds = TestData.random(20, 3);
        int[] samples = IntStream.range(0, 20).toArray();
        float[] a, b;
        try (OpenClBackend gpu = new OpenClBackend(plain, device)) {
            a = Parity.gradients(gpu, ds, samples).data(Parameters.OUT_BIAS);
        }
        try (OpenClBackend gpu = new OpenClBackend(smoothed(plain, 0.1), device)) {
            b = Parity.gradients(gpu, ds, samples).data(Parameters.OUT_BIAS);
        }
        for (int cls = 0; cls < 10; cls++) {
            int withLabel = 0;
            for (int s : samples) {
                withLabel += ds.label(s) == cls ? 1 : 0;
            }
            assertEquals(0.1 * (withLabel / 20.0 - 0.1), b[cls] - a[cls], 1e-6, "class " + cls);
        }
    }

    @Test
    void theHalfNormalisationGivesTheJavaBackendsGradients() {
        OpenClDevice device = OpenClTestDevice.require();
        RunConfig c = Parity.config(13, 4, 3, Activation.SIN, 17).with("normalization", Normalization.HALF);
        Dataset ds = TestData.random(30, 9);
        int[] samples = Parity.spread(17, 30);
        try (CpuBackend cpu = new CpuBackend(c); OpenClBackend gpu = new OpenClBackend(c, device)) {
            assertClose(Parity.gradients(cpu, ds, samples), Parity.gradients(gpu, ds, samples), 1e-4,
                    "gradient under the half normalisation");
        }
    }

    @Test
    void adamWStepsWithSmoothingMatchTheJavaBackend() {
        OpenClDevice device = OpenClTestDevice.require();
        RunConfig c = Parity.config(13, 5, 3, Activation.GELU, 19).with(Map.of("weightDecay", 0.05,
                "labelSmoothing", 0.1));
        Dataset ds = TestData.random(60, 4);
        int[] order = IntStream.range(0, 60).map(i -> 59 - i).toArray();
        try (CpuBackend cpu = new CpuBackend(c); OpenClBackend gpu = new OpenClBackend(c, device)) {
            for (Backend b : List.of(cpu, gpu)) {
                b.upload(new DataSplit(ds, ds));
                b.beginEpoch(order);
            }
            float lr = 2e-2f;
            for (int step = 0; step < 3; step++) {
                Parameters before = cpu.parameters();
                Parameters g = cpu.gradients(Arrays.copyOfRange(order, step * 19, (step + 1) * 19));
                cpu.trainStep(step, lr);
                gpu.trainStep(step, lr);
                assertClose(cpu.parameters(), gpu.parameters(), 1e-4, "parameters after step " + (step + 1));
                if (step == 0) {
                    // the first update entry by entry (later ones: Adam's m / sqrt(v) of a few small gradients of
                    // either sign amplifies the backends' float noise past any fixed tolerance)
                    assertUpdatesClose(g, delta(before, cpu.parameters()), delta(before, gpu.parameters()), lr,
                            "update of step 1");
                }
                Parity.assertMomentsClose(cpu.optimizerState(), gpu.optimizerState());
            }
            TrainMetrics tc = cpu.trainMetrics(), tg = gpu.trainMetrics();
            assertEquals(57, tg.samples());
            assertEquals(tc.lossSum(), tg.lossSum(), 1e-4 * tc.lossSum(), "the smoothed training loss");
            assertEquals(tc.correct(), tg.correct());
        }
    }

    @Test
    void theOpenClDecayIsDecoupled() {
        // one step with and without decay from the same parameters: they differ by lr * wd * p
        OpenClDevice device = OpenClTestDevice.require();
        RunConfig plain = Parity.config(11, 3, 3, Activation.SIN, 16);
        double wd = 0.2;
        float lr = 0.05f;
        Dataset ds = TestData.random(16, 6);
        int[] order = IntStream.range(0, 16).toArray();
        try (OpenClBackend a = new OpenClBackend(plain, device);
             OpenClBackend d = new OpenClBackend(plain.with("weightDecay", wd), device)) {
            for (OpenClBackend b : List.of(a, d)) {
                b.upload(new DataSplit(ds, ds));
            }
            Parameters p0 = a.parameters();
            for (OpenClBackend b : List.of(a, d)) {
                b.beginEpoch(order);
                b.trainStep(0, lr);
            }
            Parameters pa = a.parameters(), pd = d.parameters();
            for (var t : p0.tensors()) {
                float[] before = t.data(), x = pa.data(t.name()), y = pd.data(t.name());
                for (int i = 0; i < before.length; i++) {
                    assertEquals(-lr * wd * before[i], y[i] - x[i], 1e-6 * (1 + Math.abs(before[i])),
                            t.name() + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void validationAndTestEvaluationsMatchTheJavaBackend() {
        OpenClDevice device = OpenClTestDevice.require();
        // a validation set larger than the test set (more than two evaluation chunks), each evaluated on its own;
        // smoothing must not reach evaluation
        RunConfig c = smoothed(Parity.config(24, 6, 3, Activation.SIN, 16), 0.3);
        Dataset train = TestData.random(40, 1), validation = TestData.random(601, 2), test = TestData.random(37, 3);
        DataSplit data = new DataSplit(train, validation, test);
        RunConfig plain = smoothed(c, 0);
        try (CpuBackend cpu = new CpuBackend(c); OpenClBackend gpu = new OpenClBackend(c, device);
             OpenClBackend unsmoothed = new OpenClBackend(plain, device)) {
            cpu.upload(data);
            gpu.upload(data);
            unsmoothed.upload(data);
            for (EvalSet set : EvalSet.values()) {
                Evaluation a = cpu.evaluate(set), b = gpu.evaluate(set), u = unsmoothed.evaluate(set);
                int n = set == EvalSet.VALIDATION ? 601 : 37;
                assertEquals(n, b.samples(), set + " samples");
                assertEquals(a.loss(), b.loss(), 1e-5 * a.loss(), set + " loss");
                assertEquals(a.accuracy(), b.accuracy(), 1.0 / n + 1e-12, set + " accuracy");
                assertEquals(u.loss(), b.loss(), 1e-6 * u.loss(), set + ": plain cross-entropy despite smoothing");
            }
        }
        try (OpenClBackend gpu = new OpenClBackend(c, device)) {
            gpu.upload(new DataSplit(train, test));
            Evaluation none = gpu.evaluate(EvalSet.VALIDATION);
            assertTrue(Double.isNaN(none.loss()) && Double.isNaN(none.accuracy()), none.toString());
            assertEquals(0, none.samples());
        }
    }

    @Test
    void theEpochsAugmentedImagesReachTheDevice() {
        OpenClDevice device = OpenClTestDevice.require();
        RunConfig c = Parity.config(13, 3, 3, Activation.TANH, 20);
        Dataset ds = TestData.random(30, 2);
        Dataset augmented = Augmentation.apply(ds, Augment.ALL, 5, 1);
        int[] samples = Parity.spread(20, 30);
        try (CpuBackend cpu = new CpuBackend(c); OpenClBackend gpu = new OpenClBackend(c, device);
             CpuBackend direct = new CpuBackend(c)) {
            Parameters before = Parity.gradients(gpu, ds, samples);
            cpu.upload(new DataSplit(ds, ds));
            cpu.setTrainImages(augmented);
            gpu.setTrainImages(augmented);
            Parameters expected = cpu.gradients(samples);
            assertClose(expected, gpu.gradients(samples), 1e-4, "gradient on the augmented images");
            assertClose(Parity.gradients(direct, augmented, samples), gpu.gradients(samples), 1e-4,
                    "as if uploaded so");
            double err = Parity.relativeError(gpu.gradients(samples).data(Parameters.IN_WEIGHT),
                    before.data(Parameters.IN_WEIGHT));
            assertTrue(err > 1e-2, "other images give another gradient: " + err);
        }
    }

    @Test
    void threeEpochsWithValidationAugmentationCosineDecayAndSmoothingGiveTheJavaBackendsRun() {
        OpenClDevice device = OpenClTestDevice.require();
        RunConfig c = ConfigBuilder.grid(24, 8).batch(37).lr(5e-4).epochs(3).seed(11).samples(900, 300)
                .set("validation", 100).set("augment", Augment.HFLIP_CROP).set("schedule", Schedule.COSINE)
                .set("weightDecay", 0.05).set("labelSmoothing", 0.1).backend("opencl").build();
        DataSplit data = SyntheticData.generate(c.samples(), c.testSamples(), c.seed())
                .holdOut(c.validation(), c.seed());
        List<EpochMetrics> cpu = Parity.train(c, new CpuBackend(c), data);
        List<EpochMetrics> gpu = Parity.train(c, new OpenClBackend(c, device), data);
        assertEquals(3, gpu.size());
        for (int e = 0; e < 3; e++) {
            EpochMetrics a = cpu.get(e), b = gpu.get(e);
            String epoch = " of epoch " + (e + 1);
            assertEquals(a.trainLoss(), b.trainLoss(), 1e-3, "train loss" + epoch);
            assertEquals(a.validationLoss(), b.validationLoss(), 1e-3, "validation loss" + epoch);
            assertEquals(a.testLoss(), b.testLoss(), 1e-3, "test loss" + epoch);
            assertEquals(a.validationAccuracy(), b.validationAccuracy(), 2.0 / 100, "validation accuracy" + epoch);
            assertEquals(a.testAccuracy(), b.testAccuracy(), 2.0 / 300, "test accuracy" + epoch);
            assertEquals(a.learningRate(), b.learningRate(), "learning rate" + epoch);
            assertTrue(Double.isFinite(b.validationLoss()), "a validation loss" + epoch);
        }
        assertTrue(gpu.get(2).trainLoss() < gpu.get(0).trainLoss(), "it learns: " + gpu);
    }

    /**
     * Every entry of the updates within 1e-4 of the largest; where the gradient is within a hundred Adam epsilons
     * of 0 the step g / (|g| + eps) is ill-conditioned (float noise of 1e-10 in g moves it by 1e-3 of lr), so there
     * 1 % of lr.
     */
    private static void assertUpdatesClose(Parameters gradient, Parameters expected, Parameters actual, float lr,
                                           String what) {
        for (var t : expected.tensors()) {
            float[] e = t.data(), a = actual.data(t.name()), g = gradient.data(t.name());
            double largest = 0;
            for (float v : e) {
                largest = Math.max(largest, Math.abs(v));
            }
            for (int i = 0; i < e.length; i++) {
                double tol = Math.abs(g[i]) < 1e-6 ? 1e-2 * lr : 1e-4 * largest;
                assertEquals(e[i], a[i], tol, what + ": " + t.name() + "[" + i + "], gradient " + g[i]);
            }
        }
    }

    private static Parameters delta(Parameters before, Parameters after) {
        Parameters d = after.copy();
        for (var t : d.tensors()) {
            float[] b = before.data(t.name());
            for (int i = 0; i < b.length; i++) {
                t.data()[i] -= b[i];
            }
        }
        return d;
    }
}
