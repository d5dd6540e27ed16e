package org.neuralgrid.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A training set, the validation set held out of it (possibly empty) and the test set.
 *
 * @param train      the images trained on
 * @param validation images held out of the training set to choose the best epoch on; count 0 for none
 * @param test       the test set
 */
public record DataSplit(Dataset train, Dataset validation, Dataset test) {

    /** A training and a test set, no validation set. */
    public DataSplit(Dataset train, Dataset test) {
        this(train, Dataset.empty(train.name().replace("train", "validation"), train.rows(), train.cols()), test);
    }

    /**
     * This split with {@code count} training images held out as the validation set: the same share of every class
     * (largest remainders), each class's images picked by a shuffle seeded with {@code seed} alone, so every run
     * with that seed holds out the same images. The rest train, in their original order.
     */
    public DataSplit holdOut(int count, long seed) {
        if (count <= 0) {
            return this;
        }
        if (count >= train.count()) {
            throw new IllegalArgumentException("cannot hold out " + count + " of " + train.count() + " images");
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < Dataset.CLASSES; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int s = 0; s < train.count(); s++) {
            byClass.get(train.label(s)).add(s);
        }
        int[] quota = quotas(byClass, count);
        boolean[] held = new boolean[train.count()];
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int c = 0; c < Dataset.CLASSES; c++) {
            List<Integer> members = byClass.get(c);
            for (int i = members.size() - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                Integer t = members.get(i);
                members.set(i, members.get(j));
                members.set(j, t);
            }
            for (int i = 0; i < quota[c]; i++) {
                held[members.get(i)] = true;
            }
        }
        return new DataSplit(train.select(held, false, train.name()),
                train.select(held, true, train.name().replace("train", "validation")), test);
    }

    /** How many of each class to hold out: count in proportion to the class sizes, remainders to the largest. */
    private int[] quotas(List<List<Integer>> byClass, int count) {
        int[] quota = new int[byClass.size()];
        double[] remainder = new double[byClass.size()];
        int given = 0;
        for (int c = 0; c < quota.length; c++) {
            double exact = (double) count * byClass.get(c).size() / train.count();
            quota[c] = (int) exact;
            remainder[c] = exact - quota[c];
            given += quota[c];
        }
        while (given < count) {
            int best = 0;
            for (int c = 1; c < quota.length; c++) {
                if (remainder[c] > remainder[best]) {
                    best = c;
                }
            }
            remainder[best] = -1;
            quota[best]++;
            given++;
        }
        return quota;
    }
}
