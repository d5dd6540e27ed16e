package org.neuralgrid.engine;

/** Where an epoch stands: reported at most a few times a second, and once at the end of every epoch. */
public record TrainingProgress(int epoch, int epochs, int batch, int batches, double runningLoss,
                               double runningAccuracy, double elapsedSeconds, double etaSeconds) {
    public double fraction() {
        return batches == 0 ? 1 : (double) batch / batches;
    }
}
