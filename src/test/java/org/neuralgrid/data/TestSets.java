package org.neuralgrid.data;

/** Small data sets whose every byte can be predicted, for checking that reading and writing lose nothing. */
final class TestSets {
    private TestSets() {
    }

    /** {@code count} images of rows x cols; pixel i of sample s is (s * 37 + i * 11 + seed) mod 256. */
    static Dataset predictable(String name, int count, int rows, int cols, int seed) {
        byte[] pixels = new byte[count * rows * cols];
        byte[] labels = new byte[count];
        for (int s = 0; s < count; s++) {
            labels[s] = (byte) ((s + seed) % 10);
            for (int i = 0; i < rows * cols; i++) {
                pixels[s * rows * cols + i] = (byte) (s * 37 + i * 11 + seed);
            }
        }
        return new Dataset(name, count, rows, cols, pixels, labels);
    }
}
