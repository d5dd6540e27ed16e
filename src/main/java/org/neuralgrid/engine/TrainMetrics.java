package org.neuralgrid.engine;

/** Sums over the samples trained so far in an epoch. */
public record TrainMetrics(double lossSum, long correct, long samples) {
    public double meanLoss() {
        return samples == 0 ? Double.NaN : lossSum / samples;
    }

    public double accuracy() {
        return samples == 0 ? Double.NaN : (double) correct / samples;
    }
}
