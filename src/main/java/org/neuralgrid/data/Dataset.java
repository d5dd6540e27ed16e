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

    /** No images, of the given size. */
    public static Dataset empty(String name, int rows, int cols) {
        return new Dataset(name, 0, rows, cols, new byte[0], new byte[0]);
    }

    /** The same images and labels with other pixels (an augmented copy). */
    public Dataset withPixels(byte[] other) {
        return new Dataset(name, count, rows, cols, other, labels);
    }

    /** The samples whose {@code mark} equals {@code marked}, in order, as a dataset of its own. */
    Dataset select(boolean[] mark, boolean marked, String newName) {
        int n = 0;
        for (boolean m : mark) {
            n += m == marked ? 1 : 0;
        }
        int size = imageSize();
        byte[] px = new byte[n * size];
        byte[] lb = new byte[n];
        int k = 0;
        for (int s = 0; s < count; s++) {
            if (mark[s] == marked) {
                System.arraycopy(pixels, s * size, px, k * size, size);
                lb[k++] = labels[s];
            }
        }
        return new Dataset(newName, n, rows, cols, px, lb);
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
