package org.neuralgrid.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Epoch metrics as CSV, one row per epoch: the CLI's metrics.csv and the API's {@code ?format=csv} both write
 * these columns. Numbers keep their full precision; a value that is not finite (the validation columns of a run
 * without a validation set) is left empty. The last column marks the run's best epoch with 1.
 */
public final class MetricsCsv {
    public static final String HEADER = "epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,"
            + "test_loss,test_accuracy,learning_rate,seconds,samples_per_second,best";
    private static final int COLUMNS = HEADER.split(",").length;

    private MetricsCsv() {
    }

    /** The header and one row per epoch, each line ending in a newline. */
    public static String write(List<EpochMetrics> epochs, int bestEpoch) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        epochs.forEach(m -> out.append(row(m, m.epoch() == bestEpoch)).append('\n'));
        return out.toString();
    }

    /** One epoch's row, without the newline. */
    public static String row(EpochMetrics m, boolean best) {
        return m.epoch() + "," + cell(m.trainLoss()) + "," + cell(m.trainAccuracy()) + "," + cell(m.validationLoss())
                + "," + cell(m.validationAccuracy()) + "," + cell(m.testLoss()) + "," + cell(m.testAccuracy()) + ","
                + cell(m.learningRate()) + "," + cell(m.seconds()) + "," + cell(m.samplesPerSecond()) + ","
                + (best ? 1 : 0);
    }

    private static String cell(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }

    /** The epochs of a file this class wrote; empty when there is none or it has other columns. */
    public static List<EpochMetrics> read(Path file) throws IOException {
        List<EpochMetrics> epochs = new ArrayList<>();
        if (!Files.exists(file)) {
            return epochs;
        }
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            return epochs;
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",", -1);
            if (c.length == COLUMNS) {
                epochs.add(new EpochMetrics(Integer.parseInt(c[0]), num(c[1]), num(c[2]), num(c[3]), num(c[4]),
                        num(c[5]), num(c[6]), num(c[7]), num(c[8]), num(c[9])));
            }
        }
        return epochs;
    }

    private static double num(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    /**
     * Keeps a run folder's metrics.csv: the epochs before {@code firstEpoch} that the file already holds (a resumed
     * run), then each new epoch, the whole file rewritten so that the best mark moves with the best epoch.
     */
    public static TrainingListener file(Path file, int firstEpoch) {
        List<EpochMetrics> epochs;
        try {
            epochs = new ArrayList<>(read(file).stream().filter(m -> m.epoch() < firstEpoch).toList());
        } catch (IOException | RuntimeException e) {
            epochs = new ArrayList<>();
        }
        List<EpochMetrics> kept = epochs;
        return new TrainingListener() {
            @Override
            public void onEpoch(EpochMetrics m, BestEpoch best) {
                kept.add(m);
                try {
                    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "metrics", ".tmp");
                    try {
                        Files.writeString(tmp, write(kept, best.epoch()));
                        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } finally {
                        Files.deleteIfExists(tmp);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("could not write " + file, e);
                }
            }
        };
    }
}
