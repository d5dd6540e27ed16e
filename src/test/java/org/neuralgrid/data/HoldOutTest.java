package org.neuralgrid.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.RunConfig;

/**
 * {@link DataSplit#holdOut}: the validation set is a seeded, class-stratified part of the training set, the rest
 * trains in its original order, and the test set is left alone.
 */
class HoldOutTest {

    /**
     * {@code count} distinct images (each image's first four bytes are its index) of classes in skewed shares:
     * class c is about (c + 1) times as common as class 0, so the stratification has uneven classes to share out.
     */
    static DataSplit skewed(int count, long seed) {
        Random rng = new Random(seed);
        byte[] px = new byte[count * 784];
        byte[] labels = new byte[count];
        rng.nextBytes(px);
        for (int s = 0; s < count; s++) {
            int draw = rng.nextInt(55), c = 0;
            while (draw >= c + 1) {
                draw -= c + 1;
                c++;
            }
            labels[s] = (byte) c;
            for (int b = 0; b < 4; b++) {
                px[s * 784 + b] = (byte) (s >>> (8 * b));
            }
        }
        Dataset train = new Dataset("test-set/train", count, 28, 28, px, labels);
        return new DataSplit(train, TestSets.predictable("test-set/test", 30, 28, 28, 5));
    }

    /** An image and its label as one comparable string. */
    static String key(Dataset ds, int s) {
        return ds.label(s) + ":" + Arrays.toString(Arrays.copyOfRange(ds.pixels(), s * 784, (s + 1) * 784));
    }

    static Map<String, Integer> multiset(Dataset... sets) {
        Map<String, Integer> m = new HashMap<>();
        for (Dataset ds : sets) {
            for (int s = 0; s < ds.count(); s++) {
                m.merge(key(ds, s), 1, Integer::sum);
            }
        }
        return m;
    }

    static int[] classCounts(Dataset ds) {
        int[] n = new int[Dataset.CLASSES];
        for (int s = 0; s < ds.count(); s++) {
            n[ds.label(s)]++;
        }
        return n;
    }

    @ParameterizedTest(name = "{0} of 997")
    @ValueSource(ints = {1, 7, 100, 333, 996})
    void exactlyNImagesAreHeldOutWithEveryClassWithinOneOfItsShare(int n) {
        DataSplit all = skewed(997, 1);
        DataSplit split = all.holdOut(n, 42);
        assertEquals(n, split.validation().count());
        assertEquals(997 - n, split.train().count());
        int[] original = classCounts(all.train());
        int[] held = classCounts(split.validation());
        for (int c = 0; c < Dataset.CLASSES; c++) {
            double share = (double) n * original[c] / all.train().count();
            assertTrue(Math.abs(held[c] - share) < 1, "class " + c + ": " + held[c] + " held out for a share of "
                    + share);
        }
    }

    @Test
    void trainingAndValidationImagesPartitionTheOriginalTrainingSet() {
        DataSplit all = skewed(600, 2);
        DataSplit split = all.holdOut(150, 7);
        assertEquals(multiset(all.train()), multiset(split.train(), split.validation()),
                "every (image, label) exactly as often as before");
        Map<String, Integer> trained = multiset(split.train());
        for (int s = 0; s < split.validation().count(); s++) {
            assertFalse(trained.containsKey(key(split.validation(), s)), "validation image " + s + " also trains");
        }
    }

    @Test
    void theTestSetIsLeftAlone() {
        DataSplit all = skewed(300, 3);
        DataSplit split = all.holdOut(60, 7);
        assertSame(all.test(), split.test());
    }

    @Test
    void theRemainingTrainingImagesKeepTheirOriginalOrder() {
        DataSplit all = skewed(500, 4);
        DataSplit split = all.holdOut(123, 9);
        // the images are distinct, so each remaining one has one place in the original: those places rise
        Map<String, Integer> place = new HashMap<>();
        for (int s = 0; s < all.train().count(); s++) {
            place.put(key(all.train(), s), s);
        }
        int previous = -1;
        for (int s = 0; s < split.train().count(); s++) {
            int p = place.get(key(split.train(), s));
            assertTrue(p > previous, "training image " + s + " was at " + p + ", after " + previous);
            previous = p;
        }
    }

    @Test
    void theSameSeedHoldsOutTheSameImagesAndAnotherSeedOthers() {
        DataSplit all = skewed(800, 5);
        DataSplit a = all.holdOut(200, 11), b = all.holdOut(200, 11), c = all.holdOut(200, 12);
        assertArrayEquals(a.validation().pixels(), b.validation().pixels());
        assertArrayEquals(a.validation().labels(), b.validation().labels());
        assertArrayEquals(a.train().pixels(), b.train().pixels());
        assertFalse(Arrays.equals(a.validation().pixels(), c.validation().pixels()), "seed 12 holds out others");
        assertFalse(Arrays.equals(a.train().pixels(), c.train().pixels()), "and trains on others");
        assertArrayEquals(classCounts(a.validation()), classCounts(c.validation()), "the same shares, though");
    }

    @Test
    void holdingOutNothingReturnsTheSplitUnchanged() {
        DataSplit all = skewed(100, 6);
        assertSame(all, all.holdOut(0, 3));
        assertEquals(0, all.validation().count());
    }

    @ParameterizedTest(name = "{0} of 100")
    @ValueSource(ints = {100, 101, 5000})
    void holdingOutTheWholeTrainingSetOrMoreIsRefused(int n) {
        DataSplit all = skewed(100, 7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> all.holdOut(n, 3));
        assertTrue(e.getMessage().contains(Integer.toString(n)), e.getMessage());
    }

    @Test
    void aClassTooSmallForAnImageOfItsOwnStillAddsUp() {
        // 1 image of class 0 among 99 of class 1: 10 held out -> 0.1 and 9.9 -> 0 and 10
        byte[] labels = new byte[100];
        Arrays.fill(labels, (byte) 1);
        labels[37] = 0;
        Dataset train = new Dataset("tiny/train", 100, 28, 28, new byte[100 * 784], labels);
        DataSplit split = new DataSplit(train, Dataset.empty("tiny/test", 28, 28)).holdOut(10, 1);
        int[] held = classCounts(split.validation());
        assertEquals(0, held[0]);
        assertEquals(10, held[1]);
        assertEquals(1, classCounts(split.train())[0]);
    }

    @Test
    void aRunWithAValidationSetLoadsItsSyntheticDataWithTheImagesHeldOut(@TempDir Path dir) throws Exception {
        RunConfig c = ConfigBuilder.grid(8, 2).samples(500, 120).set("validation", 80).seed(21).build();
        DataSplit data = TrainingData.load(c, dir, FetchProgress.SILENT);
        assertEquals(420, data.train().count());
        assertEquals(80, data.validation().count());
        assertEquals(120, data.test().count());
        DataSplit generated = SyntheticData.generate(500, 120, 21);
        assertEquals(multiset(generated.train()), multiset(data.train(), data.validation()));
        DataSplit expected = generated.holdOut(80, 21);
        assertArrayEquals(expected.validation().pixels(), data.validation().pixels(), "held out with the run's seed");
        assertArrayEquals(generated.test().pixels(), data.test().pixels());

        RunConfig none = ConfigBuilder.grid(8, 2).samples(500, 120).seed(21).build();
        DataSplit all = TrainingData.load(none, dir, FetchProgress.SILENT);
        assertEquals(500, all.train().count());
        assertEquals(0, all.validation().count());
    }

    @Test
    void theValidationSetIsNamedAsSuch() {
        DataSplit split = skewed(100, 8).holdOut(10, 1);
        assertNotEquals(split.train().name(), split.validation().name());
        assertTrue(split.validation().name().contains("validation"), split.validation().name());
    }
}
