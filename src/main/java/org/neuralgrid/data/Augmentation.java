package org.neuralgrid.data;

import java.util.SplittableRandom;
import org.neuralgrid.model.Augment;

/**
 * Augmented copies of the training images: for every epoch a new copy, each image flipped and cropped by a
 * generator of its own seeded with the run's seed, the epoch and the image's index, so the copy depends on nothing
 * else (not the thread count, not the backend) and a resumed run makes the same images again.
 */
public final class Augmentation {
    private Augmentation() {
    }

    /** The images of {@code epoch} (1-based) under {@code augment}; the labels and the order stay. */
    public static Dataset apply(Dataset train, Augment augment, long seed, int epoch) {
        if (augment == Augment.NONE) {
            return train;
        }
        byte[] out = new byte[train.pixels().length];
        // one thread: a few tens of milliseconds an epoch, and a server's common pool is not ours to take
        for (int i = 0; i < train.count(); i++) {
            augmentOne(train, augment, out, i,
                    new SplittableRandom(seed * 0xD1B54A32D192ED03L + epoch * 0x9E3779B97F4A7C15L + i));
        }
        return train.withPixels(out);
    }

    private static void augmentOne(Dataset train, Augment augment, byte[] out, int i, SplittableRandom rng) {
        int rows = train.rows(), cols = train.cols(), base = i * rows * cols;
        boolean h = augment.hflip() && rng.nextBoolean();
        boolean v = augment.vflip() && rng.nextBoolean();
        int pad = Augment.CROP_PADDING;
        int dy = augment.crop() ? rng.nextInt(2 * pad + 1) - pad : 0;
        int dx = augment.crop() ? rng.nextInt(2 * pad + 1) - pad : 0;
        byte[] in = train.pixels();
        for (int r = 0; r < rows; r++) {
            int sr = r + dy;
            for (int c = 0; c < cols; c++) {
                int sc = c + dx;
                byte b = 0;
                if (sr >= 0 && sr < rows && sc >= 0 && sc < cols) {
                    int fr = v ? rows - 1 - sr : sr;
                    int fc = h ? cols - 1 - sc : sc;
                    b = in[base + fr * cols + fc];
                }
                out[base + r * cols + c] = b;
            }
        }
    }
}
