package org.neuralgrid.engine;

/**
 * What one epoch of training gave. Accuracies are fractions in [0, 1]; the validation values are NaN for a run
 * without a validation set.
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
                           double validationAccuracy, double testLoss, double testAccuracy, double learningRate,
                           double seconds, double samplesPerSecond) {

    /** An epoch of a run without a validation set. */
    public static EpochMetrics withoutValidation(int epoch, double trainLoss, double trainAccuracy, double testLoss,
                                                 double testAccuracy, double learningRate, double seconds,
                                                 double samplesPerSecond) {
        return new EpochMetrics(epoch, trainLoss, trainAccuracy, Double.NaN, Double.NaN, testLoss, testAccuracy,
                learningRate, seconds, samplesPerSecond);
    }
}
