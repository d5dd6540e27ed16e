package org.neuralgrid.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.provider.Arguments;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.model.Activation;

/** Small random labelled images and the kernel and activation cases of the numerical tests. */
public final class TestData {
    private TestData() {
    }

    /** Random bytes as images, random labels. */
    public static Dataset random(int count, long seed) {
        Random rng = new Random(seed);
        byte[] px = new byte[count * 784];
        byte[] labels = new byte[count];
        rng.nextBytes(px);
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) rng.nextInt(10);
        }
        return new Dataset("random", count, 28, 28, px, labels);
    }

    /** (k, activation) for k = 3 and 5 and every activation. */
    public static List<Arguments> kernelsAndActivations() {
        List<Arguments> list = new ArrayList<>();
        for (int k : new int[] {3, 5}) {
            for (Activation a : Activation.values()) {
                list.add(Arguments.of(k, a));
            }
        }
        return list;
    }
}
