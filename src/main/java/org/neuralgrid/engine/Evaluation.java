package org.neuralgrid.engine;

/** Mean loss and accuracy over a whole dataset. */
public record Evaluation(double loss, double accuracy, int samples) {
}
