package org.neuralgrid.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.io.MapKind;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.ModelLayout;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.Tensor;

/**
 * What every {@link Backend} promises, for a 2D and a 3D grid alike: one suite, run for each backend by a subclass
 * that says how to open one ({@code engine.cpu.CpuBackendContractTest},
 * {@code engine.opencl.OpenClBackendContractAccelTest}); a new backend gets a subclass of its own. Whether a
 * backend computes the right numbers is not part of the contract: each has its parity tests against the
 * double-precision reference or the Java backend.
 */
public abstract class BackendContract {
    /** Training and test sets of different sizes, so that a count tells which one a backend used. */
    static final Dataset TRAIN = TestData.random(40, 1);
    static final Dataset TEST = TestData.random(23, 2);
    static final DataSplit DATA = new DataSplit(TRAIN, TEST);
    /** An epoch's order: every training sample once, shuffled. */
    static final int[] ORDER = spread(TRAIN.count(), TRAIN.count());
    static final float LR = 1e-3f;

    /** A fresh backend for the configuration's model (the test closes it). */
    protected abstract Backend open(RunConfig config);

    /** A small 2D and a small 3D grid, batches of 8: five batches an epoch. */
    protected static Stream<Named<RunConfig>> grids() {
        return Stream.of(
                Named.of("2D grid 13x6", ConfigBuilder.grid(13, 6).batch(8).build()),
                Named.of("3D grid of 2 sheets", ConfigBuilder.sheets(2).batch(8).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grids")
    public void itNamesItselfAndItsDevice(RunConfig config) {
        try (Backend b = open(config)) {
            assertFalse(b.name().isBlank(), "name");
            assertFalse(b.device().isBlank(), "device");
            assertNotNull(b.tuning(), "tuning");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grids")
    public void aNewBackendHoldsTheInitialParametersAndAFreshOptimizerState(RunConfig config) {
        try (Backend b = open(config)) {
            assertSameBits(ModelLayout.initial(config), b.parameters(), "parameters");
            OptimizerState s = b.optimizerState();
            assertEquals(0, s.step());
            assertSameBits(ModelLayout.zeros(config), s.firstMoment(), "first moment");
            assertSameBits(ModelLayout.zeros(config), s.secondMoment(), "second moment");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grids")
    public void parametersRoundTripAsCopiesNotViews(RunConfig config) {
        try (Backend b = open(config)) {
            Parameters given = pattern(ModelLayout.zeros(config), 1);
            Parameters expected = given.copy();
            b.setParameters(given);
            given.data(Parameters.GRID_BIAS)[0] = 99f;   // the caller's set is not the backend's
            Parameters got = b.parameters();
            assertSameBits(expected, got, "parameters read back");
            got.data(Parameters.GRID_BIAS)[1] = 99f;     // nor is the set it hands out
            assertSameBits(expected, b.parameters(), "parameters read again");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grids")
    public void parametersOfAnotherLayoutAreRefusedNamingTheTensor(RunConfig config) {
        try (Backend b = open(config)) {
            for (RunConfig other : otherLayouts(config)) {
                Parameters wrong = ModelLayout.zeros(other);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> b.setParameters(wrong));
                String tensor = firstDifference(ModelLayout.zeros(config), wrong);
                assertTrue(e.getMessage().contains(tensor), "names " + tensor + ": " + e.getMessage());
            }
            assertSameBits(ModelLayout.initial(config), b.parameters(), "parameters after the refusals");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grids")
    public void theOptimizerStateRoundTripsAsACopyAndStepsCountOnFromIt(RunConfig config) {
        try (Backend b = open(config)) {
            b.upload(DATA);
            Parameters m = pattern(ModelLayout.zeros(config), 2), v = squares(pattern(ModelLayout.zeros(config), 3));
            OptimizerState expected = new OptimizerState(7, m.copy(), v.copy());
            b.setOptimizerState(new OptimizerState(7, m, v));
            m.data(Parameters.OUT_BIAS)[0] = 99f;
            OptimizerState got = b.optimizerState();
            assertOptimizerState(expected, got, "state read back");
            got.firstMoment().data(Parameters.OUT_BIAS)[1] = 99f;
            assertOptimizerState(expected, b.optimizerState(), "state read again");
            b.beginEpoch(ORDER);
            b.trainStep(0, LR);
            assertEquals(8, b.optimizerState().step(), "a training step counts on from the step set");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grids")
    public void anOptimizerStateOfAnotherLayoutIsRefusedNamingTheTensorAndNoneOfItIsTaken(RunConfig config) {
        try (Backend b = open(config)) {
            Parameters right = pattern(ModelLayout.zeros(config), 4);
            for (RunConfig other : otherLayouts(config)) {
                Parameters wrong = ModelLayout.zeros(other);
                String tensor = firstDifference(ModelLayout.zeros(config), wrong);
                for (OptimizerState state : List.of(new OptimizerState(3, wrong, wrong),
                        new OptimizerState(3, right, wrong))) {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> b.setOptimizerState(state));
                    assertTrue(e.getMessage().contains(tensor), "names " + tensor + ": " + e.getMessage());
                }
            }
            assertOptimizerState(OptimizerState.fresh(ModelLayout.zeros(config)), b.optimizerState(),
                    "state after the refusals");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grids")
    public void aTrainingStepChangesEveryTensorAndCountsItsSamples(RunConfig config) {
        int n = config.batch();
        try (Backend b = open(config)) {
            b.upload(DATA);
            b.beginEpoch(ORDER);
            Parameters before = b.parameters();
            b.trainStep(0, LR);
            Parameters after = b.parameters();
            for (Tensor t : before.tensors()) {
                assertFalse(Arrays.equals(t.data(), after.data(t.name())), t.name() + " did not change");
            }
            assertEquals(1, b.optimizerState().step());
            TrainMetrics one = b.trainMetrics();
            assertEquals(n, one.samples());
            assertTrue(one.lossSum() > 0 && Double.isFinite(one.lossSum()), "loss sum " + one.lossSum());
            assertTrue(one.correct() >= 0 && one.correct() <= n, "correct " + one.correct());
            b.trainStep(1, LR);
            TrainMetrics two = b.trainMetrics();
            assertEquals(2L * n, two.samples());
            assertTrue(two.lossSum() > one.lossSum(), "the second batch's loss is added: " + two);
            assertTrue(two.correct() >= one.correct() && two.correct() <= 2L * n, "correct " + two.correct());
            assertEquals(2, b.optimizerState().step());
        }
    }

    /**
     * A first Adam step moves every parameter by about the learning rate against the sign of its gradient, so the
     * direction of the step shows which samples it learnt from: batch 1 of the order, not another.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("grids")
    public void aTrainingStepIsAnAdamStepOnTheBatchTheEpochOrderNames(RunConfig config) {
        int n = config.batch();
        try (Backend b = open(config)) {
            b.upload(DATA);
            Parameters gradient = b.gradients(Arrays.copyOfRange(ORDER, n, 2 * n));
            Parameters before = b.parameters();
            b.beginEpoch(ORDER);
            b.trainStep(1, LR);
            Parameters after = b.parameters();
            for (Tensor g : gradient.tensors()) {
                float[] p0 = before.data(g.name()), p1 = after.data(g.name());
                double largest = 0;
                for (float x : g.data()) {
                    largest = Math.max(largest, Math.abs(x));
                }
                int checked = 0;
                for (int i = 0; i < p0.length; i++) {
                    float gi = g.data()[i];
                    if (Math.abs(gi) > Math.max(1e-5, 1e-2 * largest)) {
                        assertEquals(-LR * Math.signum(gi), p1[i] - p0[i], 1e-2 * LR, g.name() + "[" + i + "]");
                        checked++;
                    }
                }
                assertTrue(checked > 0, g.name() + ": no entry with a clear gradient");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grids")
    public void beginningAnEpochStartsTheTrainMetricsAgainButNotTheOptimizer(RunConfig config) {
        try (Backend b = open(config)) {
            b.upload(DATA);
            b.beginEpoch(ORDER);
            b.trainStep(0, LR);
            b.trainStep(1, LR);
            b.beginEpoch(reversed(ORDER));
            assertEquals(new TrainMetrics(0, 0, 0), b.trainMetrics());
            assertEquals(2, b.optimizerState().step());
            b.trainStep(0, LR);
            assertEquals(config.batch(), b.trainMetrics().samples());
        }
    }

    /** Parameters, optimizer state and the epoch's metrics stay as they were, so the next step is as without. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("grids")
    public void gradientsChangeNoState(RunConfig config) {
        try (Backend probed = open(config); Backend untouched = open(config)) {
            for (Backend b : List.of(probed, untouched)) {
                b.upload(DATA);
                b.beginEpoch(ORDER);
                b.trainStep(0, LR);
            }
            Parameters parameters = probed.parameters();
            OptimizerState optimizer = probed.optimizerState();
            TrainMetrics metrics = probed.trainMetrics();
            // more samples than a batch, in another order than the epoch's
            Parameters gradient = probed.gradients(spread(29, TRAIN.count()));
            ModelLayout.zeros(config).requireSameLayout(gradient);
            assertTrue(gradient.tensors().stream().anyMatch(t -> nonZero(t.data())), "a gradient");
            assertSameBits(parameters, probed.parameters(), "parameters");
            assertOptimizerState(optimizer, probed.optimizerState(), "optimizer state");
            assertEquals(metrics, probed.trainMetrics());
            for (Backend b : List.of(probed, untouched)) {
                b.trainStep(1, LR);
            }
            assertSameBits(untouched.parameters(), probed.parameters(), "parameters after the next step");
            assertOptimizerState(untouched.optimizerState(), probed.optimizerState(), "state after the next step");
            assertEquals(untouched.trainMetrics(), probed.trainMetrics());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grids")
    public void evaluationCoversTheWholeTestSetWithTheCurrentParameters(RunConfig config) {
        try (Backend b = open(config)) {
            b.upload(DATA);
            Parameters parameters = b.parameters();
            Evaluation e = b.evaluate(EvalSet.TEST);
            assertEquals(TEST.count(), e.samples());
            assertTrue(e.loss() > 0 && Double.isFinite(e.loss()), "loss " + e.loss());
            double correct = e.accuracy() * TEST.count();
            assertTrue(correct >= 0 && correct <= TEST.count(), "accuracy " + e.accuracy());
            assertEquals(Math.rint(correct), correct, 1e-9, "accuracy " + e.accuracy() + " is whole samples");
            assertEquals(e, b.evaluate(EvalSet.TEST), "evaluating again");
            assertSameBits(parameters, b.parameters(), "parameters after evaluating");
            b.setParameters(pattern(ModelLayout.zeros(config), 5));
            assertNotEquals(e.loss(), b.evaluate(EvalSet.TEST).loss(), "the loss of other parameters");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grids")
    public void activationMapsHoldAMapOfTheGridsShapeForEveryClass(RunConfig config) {
        try (Backend b = open(config)) {
            b.upload(DATA);
            ActivationMaps maps = b.activationMaps(5, TEST.firstOfEachClass(2)).mean();
            assertEquals(5, maps.epoch());
            assertEquals(RunConfig.CLASSES, maps.classes());
            // 2D: one map of H rows (cells) by W columns (layers); 3D: L sheets of 28 x 28
            assertEquals(config.is3d(), maps.sheets());
            assertEquals(config.is3d() ? config.layers() : 1, maps.layers());
            assertEquals(config.is3d() ? RunConfig.SHEET : config.height(), maps.rows());
            assertEquals(config.is3d() ? RunConfig.SHEET : config.width(), maps.cols());
            assertEquals(RunConfig.CLASSES * config.depth() * config.cellsPerLayer(), maps.values().length);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grids")
    public void aClassMapIsTheMeanOfItsSamplesMapsAndNegativeEntriesAreIgnored(RunConfig config) {
        try (Backend b = open(config)) {
            b.upload(DATA);
            // class 0: samples 3 and 5 (and a -1); class 1: none; class 2: only a -1
            ActivationMaps both = b.activationMaps(0, classes(new int[] {3, -1, 5}, new int[] {}, new int[] {-1})).mean();
            ActivationMaps three = b.activationMaps(0, classes(new int[] {3})).mean();
            ActivationMaps five = b.activationMaps(0, classes(new int[] {5})).mean();
            int perClass = both.layers() * both.rows() * both.cols();
            boolean differ = false;
            for (int i = 0; i < perClass; i++) {
                float a = three.values()[i], c = five.values()[i];
                assertEquals((a + c) / 2, both.values()[i], 1e-6, "class 0 cell " + i);
                differ |= a != c;
            }
            assertTrue(differ, "two samples gave the same map");
            for (int i = perClass; i < 3 * perClass; i++) {
                assertEquals(0f, both.values()[i], "a class without samples, cell " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grids")
    public void aClassStdIsTheSpreadOfItsSamplesAndZeroForOneSampleOrNone(RunConfig config) {
        try (Backend b = open(config)) {
            b.upload(DATA);
            // class 0: samples 3 and 5 (and a -1); class 1: none; class 2: only a -1; class 3: sample 3 alone
            ClassMaps maps = b.activationMaps(0,
                    classes(new int[] {3, -1, 5}, new int[] {}, new int[] {-1}, new int[] {3}));
            ActivationMaps three = b.activationMaps(0, classes(new int[] {3})).mean();
            ActivationMaps five = b.activationMaps(0, classes(new int[] {5})).mean();
            ActivationMaps std = maps.std();
            assertEquals(MapKind.STD, std.kind());
            assertTrue(std.sameEpochAndShape(maps.mean()), "std maps shaped as the mean maps");
            int perClass = std.cellsPerMap();
            for (int i = 0; i < perClass; i++) {
                // two values a and c spread |a - c| / 2 around their mean
                float a = three.values()[i], c = five.values()[i];
                assertEquals(Math.abs(a - c) / 2, std.values()[i], 1e-6, "class 0 cell " + i);
            }
            for (int i = perClass; i < 4 * perClass; i++) {
                assertEquals(0f, std.values()[i], "a class without samples or of one sample, cell " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grids")
    public void theSameSeedGivesTheSameBitsOnEveryRun(RunConfig config) {
        List<Parameters> parameters = new ArrayList<>();
        List<OptimizerState> optimizer = new ArrayList<>();
        List<TrainMetrics> metrics = new ArrayList<>();
        List<Evaluation> evaluations = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (Backend b = open(config)) {
                b.upload(DATA);
                b.beginEpoch(ORDER);
                for (int step = 0; step < 3; step++) {
                    b.trainStep(step, LR);
                }
                parameters.add(b.parameters());
                optimizer.add(b.optimizerState());
                metrics.add(b.trainMetrics());
                evaluations.add(b.evaluate(EvalSet.TEST));
            }
        }
        assertSameBits(parameters.get(0), parameters.get(1), "parameters");
        assertOptimizerState(optimizer.get(0), optimizer.get(1), "optimizer state");
        assertEquals(metrics.get(0), metrics.get(1));
        assertEquals(evaluations.get(0), evaluations.get(1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grids")
    public void theValidationAndTestSetsAreEvaluatedEachOnItsOwn(RunConfig config) {
        Dataset validation = TestData.random(17, 3);
        try (Backend b = open(config)) {
            b.upload(new DataSplit(TRAIN, validation, TEST));
            Evaluation v = b.evaluate(EvalSet.VALIDATION), t = b.evaluate(EvalSet.TEST);
            assertEquals(validation.count(), v.samples());
            assertEquals(TEST.count(), t.samples());
            assertTrue(v.loss() > 0 && Double.isFinite(v.loss()), "validation loss " + v.loss());
            assertNotEquals(t.loss(), v.loss(), "other images, another loss");
            assertEquals(v, b.evaluate(EvalSet.VALIDATION), "evaluating again");
        }
        try (Backend b = open(config)) {
            b.upload(DATA);
            Evaluation none = b.evaluate(EvalSet.VALIDATION);
            assertEquals(0, none.samples());
            assertTrue(Double.isNaN(none.loss()) && Double.isNaN(none.accuracy()), "an empty set: NaN, got " + none);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grids")
    public void otherTrainingImagesReplaceTheUploadedOnesAndAnotherCountIsRefused(RunConfig config) {
        int[] samples = spread(16, TRAIN.count());
        Dataset shifted = TRAIN.withPixels(TestData.random(TRAIN.count(), 99).pixels());
        try (Backend b = open(config)) {
            assertThrows(IllegalStateException.class, () -> b.setTrainImages(TRAIN), "before the upload");
            b.upload(DATA);
            Parameters original = b.gradients(samples);
            b.setTrainImages(TRAIN.withPixels(TRAIN.pixels().clone()));
            assertSameBits(original, b.gradients(samples), "the same pixels again");
            Dataset fewer = TestData.random(TRAIN.count() - 1, 5);
            assertThrows(IllegalArgumentException.class, () -> b.setTrainImages(fewer));
            assertSameBits(original, b.gradients(samples), "after a refused replacement");
            b.setTrainImages(shifted);
            Parameters other = b.gradients(samples);
            assertFalse(Arrays.equals(original.data(Parameters.GRID_WEIGHT), other.data(Parameters.GRID_WEIGHT)),
                    "other pixels, another gradient");
            b.evaluate(EvalSet.TEST);
            b.beginEpoch(ORDER);
            b.trainStep(0, LR);
            assertEquals(config.batch(), b.trainMetrics().samples());
        }
        try (Backend b = open(config)) {
            b.upload(new DataSplit(shifted, TEST));
            assertSameBits(gradientsAfterReplacing(config, shifted, samples), b.gradients(samples),
                    "as if uploaded so");
        }
    }

    private Parameters gradientsAfterReplacing(RunConfig config, Dataset images, int[] samples) {
        try (Backend b = open(config)) {
            b.upload(DATA);
            b.setTrainImages(images);
            return b.gradients(samples);
        }
    }

    /**
     * {@link Backend#close()} does not promise it (AutoCloseable only encourages it), but every backend allows it
     * and try-with-resources after an explicit close relies on it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("grids")
    public void closingTwiceIsHarmless(RunConfig config) {
        Backend b = open(config);
        b.upload(DATA);
        b.close();
        assertDoesNotThrow(b::close);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grids")
    public void workBeforeTheDataIsUploadedIsRefused(RunConfig config) {
        try (Backend b = open(config)) {
            assertThrows(IllegalStateException.class, () -> b.beginEpoch(ORDER));
            assertThrows(IllegalStateException.class, () -> b.evaluate(EvalSet.TEST));
            assertThrows(IllegalStateException.class, () -> b.gradients(new int[] {0, 1}));
            assertThrows(IllegalStateException.class, () -> b.activationMaps(0, TEST.firstOfEachClass(2)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grids")
    public void aBatchOutsideTheEpochAndGradientsOfNoSamplesAreRefused(RunConfig config) {
        try (Backend b = open(config)) {
            b.upload(DATA);
            b.beginEpoch(ORDER);
            int batches = ORDER.length / config.batch();
            assertThrows(IllegalArgumentException.class, () -> b.trainStep(batches, LR));
            assertThrows(IllegalArgumentException.class, () -> b.trainStep(-1, LR));
            assertThrows(IllegalArgumentException.class, () -> b.gradients(new int[0]));
            assertEquals(0, b.optimizerState().step(), "nothing was trained");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grids")
    public void aClosedBackendRefusesWork(RunConfig config) {
        Backend b = open(config);
        b.upload(DATA);
        b.beginEpoch(ORDER);
        b.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.evaluate(EvalSet.TEST));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> b.trainStep(0, LR));
    }

    // ---- helpers

    /** Layouts the configuration's model does not have: one size larger, and the other grid type. */
    static List<RunConfig> otherLayouts(RunConfig c) {
        return c.is3d()
                ? List.of(c.with("layers", c.layers() + 1), ConfigBuilder.grid(13, c.layers()).build())
                : List.of(c.with("height", c.height() + 1), c.as3d(c.width()));
    }

    /** The tensor an error about {@code other} must name: one only one of them has, else the first of another shape. */
    static String firstDifference(Parameters expected, Parameters other) {
        List<String> names = expected.tensors().stream().map(Tensor::name).toList();
        List<String> otherNames = other.tensors().stream().map(Tensor::name).toList();
        return Stream.concat(names.stream().filter(n -> !otherNames.contains(n)),
                        otherNames.stream().filter(n -> !names.contains(n))).findFirst()
                .orElseGet(() -> names.stream().filter(n -> !expected.get(n).sameShape(other.get(n))).findFirst()
                        .orElseThrow());
    }

    /** Every entry a different small value, salted so that two patterns differ. */
    static Parameters pattern(Parameters like, int salt) {
        Parameters p = like.zerosLike();
        int at = 0;
        for (Tensor t : p.tensors()) {
            for (int i = 0; i < t.size(); i++) {
                t.data()[i] = (float) (0.1 * Math.sin(0.37 * at++ + salt));
            }
        }
        return p;
    }

    static Parameters squares(Parameters p) {
        for (Tensor t : p.tensors()) {
            for (int i = 0; i < t.size(); i++) {
                t.data()[i] *= t.data()[i];
            }
        }
        return p;
    }

    /** n sample indices spread over count samples, out of order (a permutation when n = count, count prime to 7). */
    static int[] spread(int n, int count) {
        int[] samples = new int[n];
        for (int i = 0; i < n; i++) {
            samples[i] = (i * 7 + 3) % count;
        }
        return samples;
    }

    static int[] reversed(int[] order) {
        int[] r = new int[order.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = order[order.length - 1 - i];
        }
        return r;
    }

    /** Test-set samples per class: the given classes first, the rest without samples. */
    static int[][] classes(int[]... first) {
        int[][] all = new int[RunConfig.CLASSES][];
        for (int c = 0; c < all.length; c++) {
            all[c] = c < first.length ? first[c] : new int[0];
        }
        return all;
    }

    static boolean nonZero(float[] a) {
        for (float x : a) {
            if (x != 0) {
                return true;
            }
        }
        return false;
    }

    /** The same tensors in the same order, of the same shapes, bit for bit. */
    static void assertSameBits(Parameters expected, Parameters actual, String what) {
        assertEquals(expected.tensors().stream().map(Tensor::name).toList(),
                actual.tensors().stream().map(Tensor::name).toList(), what + ": tensors");
        for (Tensor t : expected.tensors()) {
            Tensor a = actual.get(t.name());
            assertArrayEquals(t.shape(), a.shape(), what + ": shape of " + t.name());
            assertArrayEquals(t.data(), a.data(), what + ": " + t.name());
        }
    }

    static void assertOptimizerState(OptimizerState expected, OptimizerState actual, String what) {
        assertEquals(expected.step(), actual.step(), what + ": step");
        assertSameBits(expected.firstMoment(), actual.firstMoment(), what + ": first moment");
        assertSameBits(expected.secondMoment(), actual.secondMoment(), what + ": second moment");
    }
}
