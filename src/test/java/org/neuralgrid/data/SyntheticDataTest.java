package org.neuralgrid.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticDataTest {

    @Test
    void sameSeedGivesSameBytes() {
        DataSplit a = SyntheticData.generate(500, 100, 7);
        DataSplit b = SyntheticData.generate(500, 100, 7);
        assertArrayEquals(a.train().pixels(), b.train().pixels());
        assertArrayEquals(a.train().labels(), b.train().labels());
        assertArrayEquals(a.test().pixels(), b.test().pixels());
        assertArrayEquals(a.test().labels(), b.test().labels());
    }

    @Test
    void differentSeedGivesDifferentBytes() {
        DataSplit a = SyntheticData.generate(500, 100, 7);
        DataSplit b = SyntheticData.generate(500, 100, 8);
        assertFalse(Arrays.equals(a.train().pixels(), b.train().pixels()));
        assertFalse(Arrays.equals(a.train().labels(), b.train().labels()));
        assertFalse(Arrays.equals(a.test().pixels(), b.test().pixels()));
    }

    @Test
    void trainingAndTestSamplesDiffer() {
        DataSplit data = SyntheticData.generate(100, 100, 3);
        assertFalse(Arrays.equals(data.train().pixels(), data.test().pixels()));
    }

    @Test
    void hasTheRequestedShapesAndNames() {
        DataSplit data = SyntheticData.generate(123, 45, 1);
        assertEquals("synthetic/train", data.train().name());
        assertEquals("synthetic/test", data.test().name());
        assertEquals(123, data.train().count());
        assertEquals(45, data.test().count());
        assertEquals(28, data.train().rows());
        assertEquals(28, data.train().cols());
        assertEquals(123 * 784, data.train().pixels().length);
    }

    @Test
    void labelsAreBalancedAndShuffled() {
        Dataset train = SyntheticData.generate(1003, 10, 5).train();
        int[] perClass = new int[10];
        for (byte label : train.labels()) {
            perClass[label]++;
        }
        for (int count : perClass) {
            assertTrue(count == 100 || count == 101, Arrays.toString(perClass));
        }
        int roundRobin = 0;
        for (int i = 0; i < train.count(); i++) {
            roundRobin += train.label(i) == i % 10 ? 1 : 0;
        }
        assertTrue(roundRobin < 300, "labels should not simply go round: " + roundRobin);
    }

    @Test
    void pixelsUseTheWholeRangeWithoutBeingSaturated() {
        byte[] pixels = SyntheticData.generate(200, 1, 9).train().pixels();
        int[] histogram = new int[256];
        for (byte p : pixels) {
            histogram[p & 0xff]++;
        }
        assertTrue(histogram[0] < pixels.length * 0.7, "mostly black");
        assertTrue(histogram[255] < pixels.length * 0.05, "mostly white");
        assertTrue(Arrays.stream(histogram).filter(h -> h > 0).count() > 200, "few grey levels");
    }

    @Test
    void aLinearClassifierLearnsItButNotPerfectlyFromOnePixel() {
        DataSplit data = SyntheticData.generate(5000, 1000, 42);
        SoftmaxRegression model = new SoftmaxRegression();
        for (int epoch = 0; epoch < 3; epoch++) {
            model.trainEpoch(data.train(), 0.05f);
        }
        double accuracy = model.accuracy(data.test());
        assertTrue(accuracy > 0.95, "linear accuracy " + accuracy);
        assertTrue(bestSinglePixelAccuracy(data.train()) < 0.6, "one pixel nearly decides the class");
    }

    /** How well the best single pixel, thresholded per class, tells the classes apart. */
    private static double bestSinglePixelAccuracy(Dataset data) {
        double best = 0;
        for (int pixel = 0; pixel < 784; pixel++) {
            double[] sum = new double[10];
            int[] n = new int[10];
            for (int s = 0; s < data.count(); s++) {
                sum[data.label(s)] += data.pixels()[s * 784 + pixel] & 0xff;
                n[data.label(s)]++;
            }
            int correct = 0;
            for (int s = 0; s < data.count(); s++) {
                int v = data.pixels()[s * 784 + pixel] & 0xff;
                int nearest = 0;
                for (int c = 1; c < 10; c++) {
                    if (Math.abs(v - sum[c] / n[c]) < Math.abs(v - sum[nearest] / n[nearest])) {
                        nearest = c;
                    }
                }
                correct += nearest == data.label(s) ? 1 : 0;
            }
            best = Math.max(best, (double) correct / data.count());
        }
        return best;
    }

    /** Plain multinomial logistic regression with per-sample SGD. */
    private static final class SoftmaxRegression {
        private final float[][] w = new float[10][785];

        void trainEpoch(Dataset data, float lr) {
            float[] p = new float[10];
            for (int s = 0; s < data.count(); s++) {
                probabilities(data, s, p);
                for (int c = 0; c < 10; c++) {
                    float g = p[c] - (data.label(s) == c ? 1 : 0);
                    for (int i = 0; i < 784; i++) {
                        w[c][i] -= lr * g * (data.pixels()[s * 784 + i] & 0xff) / 255f;
                    }
                    w[c][784] -= lr * g;
                }
            }
        }

        double accuracy(Dataset data) {
            float[] p = new float[10];
            int correct = 0;
            for (int s = 0; s < data.count(); s++) {
                probabilities(data, s, p);
                int best = 0;
                for (int c = 1; c < 10; c++) {
                    best = p[c] > p[best] ? c : best;
                }
                correct += best == data.label(s) ? 1 : 0;
            }
            return (double) correct / data.count();
        }

        private void probabilities(Dataset data, int s, float[] p) {
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < 10; c++) {
                float z = w[c][784];
                for (int i = 0; i < 784; i++) {
                    z += w[c][i] * (data.pixels()[s * 784 + i] & 0xff) / 255f;
                }
                p[c] = z;
                max = Math.max(max, z);
            }
            float sum = 0;
            for (int c = 0; c < 10; c++) {
                p[c] = (float) Math.exp(p[c] - max);
                sum += p[c];
            }
            for (int c = 0; c < 10; c++) {
                p[c] /= sum;
            }
        }
    }
}
