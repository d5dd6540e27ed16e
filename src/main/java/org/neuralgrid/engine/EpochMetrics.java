package org.neuralgrid.engine;

/** What one epoch of training gave. Accuracies are fractions in [0, 1]. */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double testLoss,
                           double testAccuracy, double learningRate, double seconds, double samplesPerSecond) {
}
