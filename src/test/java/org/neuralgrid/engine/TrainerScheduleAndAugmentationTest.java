package org.neuralgrid.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.neuralgrid.data.Augmentation;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.data.SyntheticData;
import org.neuralgrid.engine.cpu.CpuBackend;
import org.neuralgrid.model.Augment;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.Schedule;

/**
 * What the trainer asks of its backend for issue 10's features: every step at the rate its schedule gives that
 * step, each epoch's augmented copy of the training images before the epoch begins (the same copy a resumed run
 * makes), and the validation set evaluated only when the run has one.
 */
class TrainerScheduleAndAugmentationTest {

    /** The calls a backend got, in order: "setTrainImages", "beginEpoch", "trainStep", "evaluate VALIDATION", ... */
    static final class Calls {
        final List<String> names = new ArrayList<>();
        final List<Dataset> images = new ArrayList<>();
        final List<Float> rates = new ArrayList<>();
    }

    /** The Java backend, with every call written down. */
    static Backend recording(RunConfig c, Calls calls) {
        CpuBackend real = new CpuBackend(c);
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "setTrainImages" -> {
                            calls.names.add("setTrainImages");
                            calls.images.add((Dataset) args[0]);
                        }
                        case "beginEpoch" -> calls.names.add("beginEpoch");
                        case "trainStep" -> {
                            calls.names.add("trainStep");
                            calls.rates.add((Float) args[1]);
                        }
                        case "evaluate" -> calls.names.add("evaluate " + args[0]);
                        default -> {
                        }
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    static Calls train(RunConfig c, DataSplit data, int firstEpoch) {
        Calls calls = new Calls();
        try (Backend b = recording(c, calls)) {
            b.upload(data);
            new Trainer(c, b, data, TrainingListener.NONE, Trainer.Checkpoints.NONE).train(firstEpoch,
                    BestEpoch.NONE, () -> false);
        }
        return calls;
    }

    static RunConfig config(Schedule schedule, Augment augment, int validation) {
        return ConfigBuilder.grid(8, 2).batch(32).epochs(4).samples(300, 64).set("schedule", schedule)
                .set("warmup", 1).set("augment", augment).set("validation", validation).build();
    }

    @ParameterizedTest
    @EnumSource(Schedule.class)
    void everyStepTrainsAtItsSchedulesRate(Schedule schedule) {
        RunConfig c = config(schedule, Augment.NONE, 44);
        DataSplit data = SyntheticData.generate(300, 64, c.seed()).holdOut(44, c.seed());
        Calls calls = train(c, data, 1);
        int steps = data.train().count() / c.batch();   // 256 / 32: the steps of an epoch after the hold-out
        assertEquals(8, steps);
        LearningRate rate = new LearningRate(c, steps);
        assertEquals(c.epochs() * steps, calls.rates.size());
        for (int e = 1; e <= c.epochs(); e++) {
            for (int b = 0; b < steps; b++) {
                assertEquals((float) rate.at(e, b), calls.rates.get((e - 1) * steps + b), schedule + " epoch " + e
                        + " step " + b);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Augment.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void eachEpochTrainsOnItsOwnAugmentedCopyOfTheTrainingImages(Augment augment) {
        RunConfig c = config(Schedule.STEP, augment, 0);
        DataSplit data = SyntheticData.generate(300, 64, c.seed());
        Calls calls = train(c, data, 1);
        assertEquals(c.epochs(), calls.images.size(), "one copy an epoch");
        for (int e = 1; e <= c.epochs(); e++) {
            Dataset expected = Augmentation.apply(data.train(), augment, c.seed(), e);
            assertArrayEquals(expected.pixels(), calls.images.get(e - 1).pixels(), augment + " epoch " + e);
            assertArrayEquals(data.train().labels(), calls.images.get(e - 1).labels());
        }
        // each copy arrives before its epoch begins
        List<String> order = calls.names.stream().filter(n -> n.equals("setTrainImages") || n.equals("beginEpoch"))
                .toList();
        for (int e = 0; e < c.epochs(); e++) {
            assertEquals(List.of("setTrainImages", "beginEpoch"), order.subList(2 * e, 2 * e + 2), "epoch " + (e + 1));
        }
    }

    @Test
    void aResumedRunMakesTheSameCopiesForItsEpochs() {
        RunConfig c = config(Schedule.STEP, Augment.ALL, 0);
        DataSplit data = SyntheticData.generate(300, 64, c.seed());
        Calls straight = train(c, data, 1), resumed = train(c, data, 3);
        assertEquals(2, resumed.images.size());
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(straight.images.get(2 + i).pixels(), resumed.images.get(i).pixels(), "epoch " + (3 + i));
        }
    }

    @Test
    void withoutAugmentationTheUploadedImagesAreNeverReplaced() {
        RunConfig c = config(Schedule.STEP, Augment.NONE, 0);
        Calls calls = train(c, SyntheticData.generate(300, 64, c.seed()), 1);
        assertTrue(calls.images.isEmpty(), "setTrainImages was called " + calls.images.size() + " times");
    }

    @Test
    void theValidationSetIsEvaluatedEveryEpochOnlyWhenTheRunHasOne() {
        RunConfig with = config(Schedule.STEP, Augment.NONE, 44);
        Calls a = train(with, SyntheticData.generate(300, 64, with.seed()).holdOut(44, with.seed()), 1);
        assertEquals(with.epochs(), a.names.stream().filter(n -> n.equals("evaluate VALIDATION")).count());
        assertEquals(with.epochs(), a.names.stream().filter(n -> n.equals("evaluate TEST")).count());

        RunConfig without = config(Schedule.STEP, Augment.NONE, 0);
        Calls b = train(without, SyntheticData.generate(300, 64, without.seed()), 1);
        assertEquals(0, b.names.stream().filter(n -> n.equals("evaluate VALIDATION")).count());
        assertEquals(without.epochs(), b.names.stream().filter(n -> n.equals("evaluate TEST")).count());
    }

    @Test
    void augmentationChangesWhatIsLearned() {
        RunConfig plain = config(Schedule.STEP, Augment.NONE, 0), flipped = config(Schedule.STEP, Augment.HFLIP, 0);
        DataSplit data = SyntheticData.generate(300, 64, plain.seed());
        List<Double> a = losses(plain, data), b = losses(flipped, data);
        assertTrue(!a.equals(b), "the same training losses with and without flips: " + a);
    }

    static List<Double> losses(RunConfig c, DataSplit data) {
        List<Double> out = new ArrayList<>();
        try (Backend b = new CpuBackend(c)) {
            b.upload(data);
            new Trainer(c, b, data, new TrainingListener() {
                @Override
                public void onEpoch(EpochMetrics m, BestEpoch best) {
                    out.add(m.trainLoss());
                }
            }, Trainer.Checkpoints.NONE).train(1, BestEpoch.NONE, () -> false);
        }
        return out;
    }
}
