package org.neuralgrid.data;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Seeded 28x28 images of ten classes for trying things out without Fashion-MNIST: each class is a smooth random
 * pattern of blobs, and each sample that pattern shifted by up to two pixels, dimmed by up to 40 % and covered in
 * noise. A linear classifier learns it well within a few epochs, but not from a single pixel. The same seed always
 * gives the same bytes, whatever the number of threads.
 */
public final class SyntheticData {
    private static final int SIDE = 28;
    private static final int MAX_SHIFT = 2;
    /** Prototypes carry a zero border of MAX_SHIFT so that shifted reads need no bounds checks. */
    private static final int PADDED = SIDE + 2 * MAX_SHIFT;
    private static final int BLOBS = 8;
    /** Uniform noise of +-NOISE grey levels: enough that a linear model stays short of 100 %. */
    private static final int NOISE = 120;
    private static final long TRAIN_STREAM = 1;
    private static final long TEST_STREAM = 2;

    private SyntheticData() {
    }

    public static DataSplit generate(int trainCount, int testCount, long seed) {
        if (trainCount < 0 || testCount < 0) {
            throw new IllegalArgumentException("sample counts must not be negative: " + trainCount + ", " + testCount);
        }
        float[][] prototypes = prototypes(new SplittableRandom(seed));
        return new DataSplit(
                samples("synthetic/train", trainCount, prototypes, seed, TRAIN_STREAM),
                samples("synthetic/test", testCount, prototypes, seed, TEST_STREAM));
    }

    /** One smooth pattern in 0..1 per class: a few Gaussian blobs of random place, width and strength. */
    private static float[][] prototypes(SplittableRandom rng) {
        float[][] prototypes = new float[Dataset.CLASSES][PADDED * PADDED];
        for (float[] p : prototypes) {
            for (int b = 0; b < BLOBS; b++) {
                addRandomBlob(p, rng);
            }
            scaleToOne(p);
        }
        return prototypes;
    }

    private static void addRandomBlob(float[] p, SplittableRandom rng) {
        addBlob(p, 5 + rng.nextDouble() * 18, 5 + rng.nextDouble() * 18, 1.5 + rng.nextDouble() * 2.5,
                0.4 + rng.nextDouble() * 0.6);
    }

    private static void addBlob(float[] p, double cx, double cy, double sigma, double strength) {
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                p[(y + MAX_SHIFT) * PADDED + x + MAX_SHIFT] += (float) (strength * Math.exp(-d2 / (2 * sigma * sigma)));
            }
        }
    }

    private static void scaleToOne(float[] p) {
        float max = 0;
        for (float v : p) {
            max = Math.max(max, v);
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= max;
        }
    }

    private static Dataset samples(String name, int count, float[][] prototypes, long seed, long stream) {
        byte[] labels = balancedLabels(count, new SplittableRandom(seed ^ stream * 0x9E3779B97F4A7C15L));
        byte[] pixels = new byte[count * SIDE * SIDE];
        // each sample has its own generator, so the parallel order cannot change the bytes
        IntStream.range(0, count).parallel().forEach(i -> render(prototypes[labels[i]], pixels, i,
                new SplittableRandom(seed * 0xBF58476D1CE4E5B9L + stream * 0x94D049BB133111EBL + i)));
        return new Dataset(name, count, SIDE, SIDE, pixels, labels);
    }

    /** Every class equally often (up to one), in seeded random order. */
    private static byte[] balancedLabels(int count, SplittableRandom rng) {
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % Dataset.CLASSES);
        }
        for (int i = count - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            byte t = labels[i];
            labels[i] = labels[j];
            labels[j] = t;
        }
        return labels;
    }

    private static void render(float[] prototype, byte[] pixels, int sample, SplittableRandom rng) {
        int dx = rng.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
        int dy = rng.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
        float brightness = 255f * (0.6f + 0.4f * (float) rng.nextDouble());
        int out = sample * SIDE * SIDE;
        for (int y = 0; y < SIDE; y++) {
            int row = (y + MAX_SHIFT - dy) * PADDED + MAX_SHIFT - dx;
            for (int x = 0; x < SIDE; x++) {
                int value = Math.round(brightness * prototype[row + x]) + rng.nextInt(2 * NOISE + 1) - NOISE;
                pixels[out++] = (byte) Math.max(0, Math.min(255, value));
            }
        }
    }
}
