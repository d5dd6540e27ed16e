package org.neuralgrid.engine;

import java.util.Random;
import org.neuralgrid.data.Dataset;

/** Small random labelled images for numerical tests. */
final class TestData {
    private TestData() {
    }

    static Dataset random(int count, long seed) {
        Random rng = new Random(seed);
        byte[] px = new byte[count * 784];
        byte[] labels = new byte[count];
        rng.nextBytes(px);
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) rng.nextInt(10);
        }
        return new Dataset("random", count, 28, 28, px, labels);
    }
}
