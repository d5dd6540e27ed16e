package org.neuralgrid.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.neuralgrid.model.Augment;

/**
 * Augmented training images: each image is the original, mirrored and/or shifted by at most 4 pixels with zeros
 * shifted in, as the kind of augmentation allows; labels, count and order stay; the copy depends on the seed and the
 * epoch alone.
 */
class AugmentationTest {
    static final int SIDE = 28;
    static final int PAD = 4;

    /** Random (so asymmetric and distinguishable) images of no zero pixel, and random labels. */
    static Dataset images(int count, long seed) {
        Random rng = new Random(seed);
        byte[] px = new byte[count * SIDE * SIDE];
        byte[] labels = new byte[count];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (1 + rng.nextInt(255));
        }
        for (int s = 0; s < count; s++) {
            labels[s] = (byte) rng.nextInt(10);
        }
        return new Dataset("random/train", count, SIDE, SIDE, px, labels);
    }

    static byte[] image(Dataset ds, int s) {
        return Arrays.copyOfRange(ds.pixels(), s * SIDE * SIDE, (s + 1) * SIDE * SIDE);
    }

    /**
     * The image mirrored (h: left-right, v: upside down), then shifted so that out[r][c] = in[r + dy][c + dx], zero
     * outside. Flips and shifts commute up to the shift's sign, so every order of flip and crop is one of these.
     */
    static byte[] transformed(byte[] in, boolean h, boolean v, int dy, int dx) {
        byte[] out = new byte[in.length];
        for (int r = 0; r < SIDE; r++) {
            for (int c = 0; c < SIDE; c++) {
                int sr = r + dy, sc = c + dx;
                if (sr >= 0 && sr < SIDE && sc >= 0 && sc < SIDE) {
                    int fr = v ? SIDE - 1 - sr : sr, fc = h ? SIDE - 1 - sc : sc;
                    out[r * SIDE + c] = in[fr * SIDE + fc];
                }
            }
        }
        return out;
    }

    /** What each kind may do, as the issue specifies it: {hflip, vflip, crop}. */
    static boolean[] allowed(Augment kind) {
        return switch (kind) {
            case NONE -> new boolean[] {false, false, false};
            case HFLIP -> new boolean[] {true, false, false};
            case CROP -> new boolean[] {false, false, true};
            case HFLIP_CROP -> new boolean[] {true, false, true};
            case ALL -> new boolean[] {true, true, true};
        };
    }

    /** How an augmented image came from its original: {h, v, dy, dx}, or null when no allowed change gives it. */
    static int[] explain(byte[] original, byte[] augmented, Augment kind) {
        boolean[] may = allowed(kind);
        int pad = may[2] ? PAD : 0;
        for (int h = 0; h <= (may[0] ? 1 : 0); h++) {
            for (int v = 0; v <= (may[1] ? 1 : 0); v++) {
                for (int dy = -pad; dy <= pad; dy++) {
                    for (int dx = -pad; dx <= pad; dx++) {
                        if (Arrays.equals(augmented, transformed(original, h == 1, v == 1, dy, dx))) {
                            return new int[] {h, v, dy, dx};
                        }
                    }
                }
            }
        }
        return null;
    }

    @Test
    void noneReturnsTheSameImages() {
        Dataset train = images(50, 1);
        byte[] before = train.pixels().clone();
        assertSame(train, Augmentation.apply(train, Augment.NONE, 3, 1));
        assertArrayEquals(before, train.pixels());
    }

    @ParameterizedTest
    @EnumSource(value = Augment.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void everyImageIsTheOriginalUnderAChangeItsKindAllowsAndSomeChange(Augment kind) {
        Dataset train = images(300, 2);
        byte[] before = train.pixels().clone();
        Dataset out = Augmentation.apply(train, kind, 5, 3);
        assertArrayEquals(before, train.pixels(), "the originals are left alone");
        assertEquals(train.count(), out.count());
        assertEquals(train.rows(), out.rows());
        assertEquals(train.cols(), out.cols());
        assertArrayEquals(train.labels(), out.labels(), "labels and order stay");
        int changed = 0, mirrored = 0, upsideDown = 0, maxShift = 0;
        boolean[] dySeen = new boolean[2 * PAD + 1], dxSeen = new boolean[2 * PAD + 1];
        for (int s = 0; s < train.count(); s++) {
            int[] how = explain(image(train, s), image(out, s), kind);
            assertTrue(how != null, kind + ": image " + s + " is no flip or crop (at most " + PAD
                    + " pixels, zero fill) of its original");
            changed += Arrays.equals(image(train, s), image(out, s)) ? 0 : 1;
            mirrored += how[0];
            upsideDown += how[1];
            maxShift = Math.max(maxShift, Math.max(Math.abs(how[2]), Math.abs(how[3])));
            dySeen[how[2] + PAD] = true;
            dxSeen[how[3] + PAD] = true;
        }
        assertTrue(changed > 100, kind + " changed only " + changed + " of 300 images");
        boolean[] may = allowed(kind);
        if (may[0]) {
            assertTrue(mirrored > 100 && mirrored < 200, kind + ": about half mirrored, got " + mirrored);
        }
        if (may[1]) {
            assertTrue(upsideDown > 100 && upsideDown < 200, kind + ": about half upside down, got " + upsideDown);
        }
        if (may[2]) {
            assertEquals(PAD, maxShift, kind + ": shifts of up to " + PAD + " pixels");
            for (int d = 0; d <= 2 * PAD; d++) {
                assertTrue(dySeen[d] && dxSeen[d], kind + ": a shift of " + (d - PAD) + " pixels occurs");
            }
        }
    }

    @Test
    void hflipMirrorsExactly() {
        Dataset train = images(40, 3);
        Dataset out = Augmentation.apply(train, Augment.HFLIP, 7, 1);
        for (int s = 0; s < train.count(); s++) {
            byte[] in = image(train, s), got = image(out, s);
            boolean same = Arrays.equals(in, got);
            for (int r = 0; r < SIDE && !same; r++) {
                for (int c = 0; c < SIDE; c++) {
                    assertEquals(in[r * SIDE + SIDE - 1 - c], got[r * SIDE + c], "image " + s + " (" + r + "," + c
                            + ") is neither the original nor its mirror");
                }
            }
        }
    }

    @Test
    void onlyAllFlipsUpsideDown() {
        Dataset train = images(200, 4);
        for (Augment kind : List.of(Augment.HFLIP, Augment.CROP, Augment.HFLIP_CROP)) {
            Dataset out = Augmentation.apply(train, kind, 9, 2);
            for (int s = 0; s < train.count(); s++) {
                int[] how = explain(image(train, s), image(out, s), kind);   // searches no upside-down flip
                assertTrue(how != null, kind + ": image " + s + " is no allowed change of its original");
            }
        }
        assertTrue(Augment.ALL.vflip(), "all flips upside down");
        for (Augment kind : List.of(Augment.NONE, Augment.HFLIP, Augment.CROP, Augment.HFLIP_CROP)) {
            assertFalse(kind.vflip(), kind + " does not");
        }
    }

    @Test
    void theCopyDependsOnlyOnSeedAndEpochNotOnTheThreads() throws Exception {
        Dataset train = images(500, 5);
        byte[] here = Augmentation.apply(train, Augment.ALL, 11, 4).pixels();
        assertArrayEquals(here, Augmentation.apply(train, Augment.ALL, 11, 4).pixels(), "twice the same");
        for (int threads : new int[] {1, 3}) {
            ForkJoinPool pool = new ForkJoinPool(threads);
            try {
                byte[] there = pool.submit(() -> Augmentation.apply(train, Augment.ALL, 11, 4).pixels()).get();
                assertArrayEquals(here, there, "in a pool of " + threads + " threads");
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void anotherEpochOrSeedGivesOtherImages() {
        Dataset train = images(100, 6);
        byte[] e1 = Augmentation.apply(train, Augment.HFLIP_CROP, 11, 1).pixels();
        byte[] e2 = Augmentation.apply(train, Augment.HFLIP_CROP, 11, 2).pixels();
        byte[] other = Augmentation.apply(train, Augment.HFLIP_CROP, 12, 1).pixels();
        assertFalse(Arrays.equals(e1, e2), "epoch 2 differs from epoch 1");
        assertFalse(Arrays.equals(e1, other), "seed 12 differs from seed 11");
        int differ = 0;
        for (int s = 0; s < train.count(); s++) {
            differ += Arrays.equals(Arrays.copyOfRange(e1, s * 784, (s + 1) * 784),
                    Arrays.copyOfRange(e2, s * 784, (s + 1) * 784)) ? 0 : 1;
        }
        assertTrue(differ > 80, "most images change between epochs: " + differ + " of 100");
    }

    @Test
    void anImageIsAugmentedTheSameWhateverTheOtherImages() {
        // the generator of an image is seeded by seed, epoch and the image's index: a resumed run, or a set with
        // other images around it, makes the same copy of it
        Dataset big = images(60, 7);
        Dataset prefix = new Dataset("prefix", 20, SIDE, SIDE, Arrays.copyOf(big.pixels(), 20 * 784),
                Arrays.copyOf(big.labels(), 20));
        byte[] a = Augmentation.apply(big, Augment.ALL, 13, 5).pixels();
        byte[] b = Augmentation.apply(prefix, Augment.ALL, 13, 5).pixels();
        assertArrayEquals(Arrays.copyOf(a, 20 * 784), b);
    }
}
