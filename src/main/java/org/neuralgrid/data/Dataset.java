package org.neuralgrid.data;

/**
 * Labelled grey-scale images as stored in IDX files: one unsigned byte per pixel, row-major, image after image.
 *
 * @param name   where the images came from, for messages ("fashion-mnist/train", "synthetic/test", ...)
 * @param count  number of images
 * @param rows   image height (28)
 * @param cols   image width (28)
 * @param pixels (count, rows, cols) unsigned bytes 0..255
 * @param labels (count) class index 0..9
 */
public record Dataset(String name, int count, int rows, int cols, byte[] pixels, byte[] labels) {
    /** Fashion-MNIST's pixel mean and standard deviation after scaling to [0, 1]. */
    public static final float MEAN = 0.2860f;
    public static final float STD = 0.3530f;
    public static final int CLASSES = 10;
    public static final String[] CLASS_NAMES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
        "Shirt", "Sneaker", "Bag", "Ankle boot"};

    public Dataset {
        if ((long) count * rows * cols != pixels.length) {
            throw new IllegalArgumentException(name + ": " + count + " images of " + rows + "x" + cols
                    + " need " + (long) count * rows * cols + " pixels, got " + pixels.length);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException(name + ": " + count + " images but " + labels.length + " labels");
        }
    }

    public int imageSize() {
        return rows * cols;
    }

    public int label(int sample) {
        return labels[sample];
    }

    /** Pixel i of a sample, scaled to [0, 1] and normalised with {@link #MEAN} and {@link #STD}. */
    public float normalized(int sample, int i) {
        return normalize(pixels[sample * imageSize() + i]);
    }

    public static float normalize(byte pixel) {
        return ((pixel & 0xff) / 255f - MEAN) / STD;
    }

    /** The first {@code perClass} samples of each class, in dataset order: (classes, perClass), -1 where a class has fewer. */
    public int[][] firstOfEachClass(int perClass) {
        int[][] picked = new int[CLASSES][perClass];
        int[] filled = new int[CLASSES];
        for (int[] row : picked) {
            java.util.Arrays.fill(row, -1);
        }
        for (int s = 0; s < count; s++) {
            int c = labels[s];
            if (c >= 0 && c < CLASSES && filled[c] < perClass) {
                picked[c][filled[c]++] = s;
            }
        }
        return picked;
    }
}
