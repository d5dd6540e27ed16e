package org.neuralgrid.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Epoch metrics as CSV, one row per epoch: the CLI's metrics.csv and the API's {@code ?format=csv} both write
 * these columns. Numbers keep their full precision; a value that is not finite is left empty.
 */
public final class MetricsCsv {
    public static final String HEADER = "epoch,train_loss,train_accuracy,test_loss,test_accuracy,learning_rate,"
            + "seconds,samples_per_second";

    private MetricsCsv() {
    }

    /** The header and one row per epoch, each line ending in a newline. */
    public static String write(List<EpochMetrics> epochs) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        epochs.forEach(m -> out.append(row(m)).append('\n'));
        return out.toString();
    }

    /** One epoch's row, without the newline. */
    public static String row(EpochMetrics m) {
        return m.epoch() + "," + cell(m.trainLoss()) + "," + cell(m.trainAccuracy()) + "," + cell(m.testLoss()) + ","
                + cell(m.testAccuracy()) + "," + cell(m.learningRate()) + "," + cell(m.seconds()) + ","
                + cell(m.samplesPerSecond());
    }

    private static String cell(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }

    /** Appends each epoch's row to a file (the run folder's metrics.csv), writing the header first. */
    public static TrainingListener appendingTo(Path file) {
        return new TrainingListener() {
            @Override
            public void onEpoch(EpochMetrics m) {
                try {
                    if (!Files.exists(file)) {
                        Files.writeString(file, HEADER + "\n");
                    }
                    Files.writeString(file, row(m) + "\n", StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not write " + file, e);
                }
            }
        };
    }
}
