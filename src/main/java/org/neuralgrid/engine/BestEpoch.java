package org.neuralgrid.engine;

/**
 * The best epoch so far and its selection accuracy: validation accuracy when the run holds out a validation set,
 * else test accuracy (as the 2021 write-up chose). The one rule for "best": a strictly higher accuracy, so ties keep
 * the earlier epoch. Epoch 0: none yet.
 *
 * @param epoch    the best epoch, or 0
 * @param accuracy its selection accuracy, or -infinity
 */
public record BestEpoch(int epoch, double accuracy) {
    public static final BestEpoch NONE = new BestEpoch(0, Double.NEGATIVE_INFINITY);

    /** What an epoch's metrics are judged on. */
    public static double selectionAccuracy(EpochMetrics m, boolean onValidation) {
        return onValidation ? m.validationAccuracy() : m.testAccuracy();
    }

    /** "validation" or "test": what chose the best epoch, in words for people and JSON. */
    public static String selectedBy(boolean onValidation) {
        return onValidation ? "validation" : "test";
    }

    /** The best epoch after another epoch's metrics. */
    public BestEpoch after(EpochMetrics m, boolean onValidation) {
        double a = selectionAccuracy(m, onValidation);
        return a > accuracy ? new BestEpoch(m.epoch(), a) : this;
    }

    /** The best of a run's metrics in epoch order. */
    public static BestEpoch of(Iterable<EpochMetrics> epochs, boolean onValidation) {
        BestEpoch best = NONE;
        for (EpochMetrics m : epochs) {
            best = best.after(m, onValidation);
        }
        return best;
    }

    public boolean isNone() {
        return epoch == 0;
    }
}
