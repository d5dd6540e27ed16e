package org.neuralgrid.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.Schedule;

/**
 * The rate of every training step under each schedule (step, cosine, one-cycle) and with a linear warm-up; and
 * that an epoch reports the rate of its last step.
 */
class LearningRateTest {
    private static final double LR = 2e-3;

    static RunConfig config(Schedule schedule, int epochs, int warmup) {
        return ConfigBuilder.grid(8, 2).lr(LR).lrSteps(3, 0.5).epochs(epochs).set("schedule", schedule)
                .set("warmup", warmup).build();
    }

    /** The rate of every step, in order: (epochs * stepsPerEpoch). */
    static double[] allSteps(LearningRate rate, int epochs, int stepsPerEpoch) {
        double[] out = new double[epochs * stepsPerEpoch];
        for (int e = 1; e <= epochs; e++) {
            for (int b = 0; b < stepsPerEpoch; b++) {
                out[(e - 1) * stepsPerEpoch + b] = rate.at(e, b);
            }
        }
        return out;
    }

    private static void assertRelative(double expected, double actual, double relative, String what) {
        assertEquals(expected, actual, Math.abs(expected) * relative, what);
    }

    // ---- step

    @Test
    void theStepScheduleIsLrTimesGammaToTheNumberOfStepsTakenAtEveryStep() {
        int epochs = 10, steps = 7;
        RunConfig c = config(Schedule.STEP, epochs, 0);
        LearningRate rate = new LearningRate(c, steps);
        for (int e = 1; e <= epochs; e++) {
            double expected = LR * Math.pow(0.5, (e - 1) / 3);
            for (int b = 0; b < steps; b++) {
                assertRelative(expected, rate.at(e, b), 1e-15, "epoch " + e + " step " + b);
            }
        }
        // spelled out: epochs 1-3 at lr, 4-6 at lr/2, 7-9 at lr/4, 10 at lr/8
        assertRelative(LR, rate.at(3, steps - 1), 1e-15, "epoch 3");
        assertRelative(LR / 2, rate.at(4, 0), 1e-15, "epoch 4");
        assertRelative(LR / 8, rate.at(10, 0), 1e-15, "epoch 10");
    }

    @Test
    void thePublishedDefaultsGive1eMinus4ThenATenthEveryHundredEpochs() {
        RunConfig published = RunConfig.defaults();
        assertEquals(Schedule.STEP, published.schedule());
        assertEquals(0, published.warmup());
        LearningRate rate = new LearningRate(published, 60_000 / published.batch());
        assertRelative(1e-4, rate.at(1, 0), 1e-12, "epoch 1");
        assertRelative(1e-4, rate.endOf(100), 1e-12, "epoch 100");
        assertRelative(1e-5, rate.at(101, 0), 1e-12, "epoch 101");
        assertRelative(1e-5, rate.endOf(200), 1e-12, "epoch 200");
        assertRelative(1e-6, rate.at(201, 0), 1e-12, "epoch 201");
        assertRelative(1e-6, rate.endOf(300), 1e-12, "epoch 300");
    }

    // ---- warm-up

    @ParameterizedTest
    @EnumSource(value = Schedule.class, names = {"STEP", "COSINE"})
    void aWarmUpRisesLinearlyToLrOverItsEpochsOfSteps(Schedule schedule) {
        int epochs = 8, warmup = 3, steps = 5;
        // (the step schedule's own steps out of the way: every 100 epochs)
        LearningRate rate = new LearningRate(config(schedule, epochs, warmup).with("lrStep", 100), steps);
        double[] r = allSteps(rate, epochs, steps);
        int n = warmup * steps;
        // (t + 1) / n of lr at step t: lr / n at the first step, lr at the warm-up's last
        for (int t = 0; t < n; t++) {
            assertRelative(LR * (t + 1) / n, r[t], 1e-12, schedule + " warm-up step " + t);
        }
        assertRelative(LR / n, r[0], 1e-12, "first step");
        assertRelative(LR, r[n - 1], 1e-12, "last warm-up step");
        assertRelative(LR, r[n], 1e-12, "first step after the warm-up");
    }

    @Test
    void aWarmUpScalesTheStepScheduleOnlyDuringIt() {
        // warm-up of 4 epochs over a step every 3: the rate at epoch 4 is already lr * gamma, warmed up fully
        int steps = 2;
        LearningRate rate = new LearningRate(config(Schedule.STEP, 9, 4), steps);
        assertRelative(LR * 0.5 * 7 / 8, rate.at(4, 0), 1e-12, "epoch 4, step 0: gamma and 7/8 warmed up");
        assertRelative(LR * 0.5, rate.at(4, 1), 1e-12, "the warm-up's last step");
        assertRelative(LR * 0.5, rate.at(5, 0), 1e-12, "after the warm-up");
        assertRelative(LR * 0.25, rate.at(7, 0), 1e-12, "the next step of the schedule");
    }

    // ---- cosine

    @ParameterizedTest(name = "warm-up {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 2})
    void cosineStartsAtLrAfterTheWarmUpHalvesAtTheMiddleAndEndsNearZero(int warmup) {
        int epochs = 12, steps = 10;
        LearningRate rate = new LearningRate(config(Schedule.COSINE, epochs, warmup), steps);
        double[] r = allSteps(rate, epochs, steps);
        int start = warmup * steps;
        int remaining = r.length - start;   // even: 100 or 120
        assertRelative(LR, r[start], 1e-12, "first step after the warm-up");
        assertRelative(LR / 2, r[start + remaining / 2], 1e-12, "the middle of the cosine");
        double last = r[r.length - 1];
        assertTrue(last > 0 && last < LR * 1e-3, "near 0 at the last step: " + last);
        for (int t = start + 1; t < r.length; t++) {
            assertTrue(r[t] <= r[t - 1], "non-increasing after the warm-up: step " + t + " " + r[t] + " > "
                    + r[t - 1]);
        }
        assertTrue(r[start + 1] < r[start], "it does fall");
    }

    @Test
    void cosineFollowsHalfACosineFromLrToZero() {
        int epochs = 5, steps = 8, total = epochs * steps;
        LearningRate rate = new LearningRate(config(Schedule.COSINE, epochs, 0), steps);
        double[] r = allSteps(rate, epochs, steps);
        for (int t = 0; t < total; t++) {
            assertRelative(LR * 0.5 * (1 + Math.cos(Math.PI * t / total)), r[t], 1e-12, "step " + t);
        }
    }

    // ---- one-cycle

    @Test
    void oneCycleClimbsFromLrOver25ToLrOver30PercentOfTheStepsThenFallsToLrOver25e4() {
        int epochs = 20, steps = 100, total = epochs * steps;
        LearningRate rate = new LearningRate(config(Schedule.ONECYCLE, epochs, 0), steps);
        double[] r = allSteps(rate, epochs, steps);
        double start = LR / 25, end = LR / 25 / 1e4;
        int peak = (int) Math.round(0.3 * total);   // 600
        assertRelative(start, r[0], 1e-12, "the first step");
        assertRelative(LR, r[peak], 1e-12, "the end of the climb");
        assertEquals(peak, argmax(r), "the peak is at 30 % of the steps");
        for (int t = 1; t <= peak; t++) {
            assertTrue(r[t] > r[t - 1], "climbing at step " + t);
            assertRelative(start + (LR - start) * t / peak, r[t], 1e-12, "linear climb at step " + t);
        }
        for (int t = peak + 1; t < total; t++) {
            assertTrue(r[t] <= r[t - 1], "falling at step " + t);
        }
        double last = r[total - 1];
        assertTrue(last >= end, "never below lr / 25 / 1e4: " + last);
        assertEquals(end, last, LR * 1e-5, "near lr / 25 / 1e4 at the last step");
    }

    @Test
    void oneCycleWithAWarmUpPeaksAtTheEndOfTheWarmUpEpochs() {
        int epochs = 10, warmup = 2, steps = 50;
        LearningRate rate = new LearningRate(config(Schedule.ONECYCLE, epochs, warmup), steps);
        double[] r = allSteps(rate, epochs, steps);
        int peak = warmup * steps;
        assertRelative(LR / 25, r[0], 1e-12, "the first step");
        assertRelative(LR, r[peak], 1e-12, "the first step after the warm-up");
        assertRelative(LR, rate.at(warmup + 1, 0), 1e-12, "epoch 3, step 0");
        assertEquals(peak, argmax(r));
        assertTrue(r[peak - 1] < LR && r[peak - 1] > r[peak - 2], "still climbing before");
        assertEquals(LR / 25 / 1e4, r[r.length - 1], LR * 1e-4, "near lr / 25 / 1e4 at the last step");
    }

    // ---- what an epoch reports

    @ParameterizedTest
    @EnumSource(Schedule.class)
    void anEpochReportsTheRateOfItsLastStep(Schedule schedule) {
        int epochs = 7, steps = 9;
        LearningRate rate = new LearningRate(config(schedule, epochs, 2), steps);
        for (int e = 1; e <= epochs; e++) {
            assertEquals(rate.at(e, steps - 1), rate.endOf(e), schedule + " epoch " + e);
        }
        // and within a warm-up that is not the epoch's first step
        assertTrue(rate.endOf(1) > rate.at(1, 0), schedule + ": the warm-up's rate rises within the epoch");
    }

    private static int argmax(double[] r) {
        int best = 0;
        for (int t = 1; t < r.length; t++) {
            best = r[t] > r[best] ? t : best;
        }
        return best;
    }
}
