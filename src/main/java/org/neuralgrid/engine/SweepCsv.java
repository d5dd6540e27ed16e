package org.neuralgrid.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.neuralgrid.model.SweepSpec;

/**
 * A sweep's results as CSV, made from its runs' epoch metrics: {@code sweep.csv} has one row per finished run
 * (its folder, the swept values, seed, best epoch, the best epoch's test and validation accuracy, the final test
 * accuracy, training seconds), {@code points.csv} one row per point with at least one finished run (the swept
 * values, runs, mean and standard deviation over the seeds of the best and the final test accuracy, mean
 * seconds). The standard deviation is the sample one (n - 1), empty for a single run; accuracies are fractions.
 */
public final class SweepCsv {
    /** The runs' file's first column: the run's folder, which also tells a resumed sweep what is finished. */
    public static final String RUN = "run";

    private SweepCsv() {
    }

    /**
     * What one finished run gave.
     *
     * @param bestEpoch              the best epoch, chosen as the run chose it ({@link BestEpoch})
     * @param bestTestAccuracy       the best epoch's test accuracy
     * @param bestValidationAccuracy the best epoch's validation accuracy, NaN without a validation set
     * @param finalTestAccuracy      the last epoch's test accuracy
     * @param seconds                the training seconds of all its epochs
     */
    public record Outcome(SweepSpec.Run run, int bestEpoch, double bestTestAccuracy, double bestValidationAccuracy,
                          double finalTestAccuracy, double seconds) {

        /** The outcome of a run's epochs (at least one), in epoch order. */
        public static Outcome of(SweepSpec.Run run, List<EpochMetrics> epochs) {
            if (epochs.isEmpty()) {
                throw new IllegalArgumentException("run " + run.folder() + " has no epochs");
            }
            boolean onValidation = run.config().validation() > 0;
            BestEpoch best = BestEpoch.of(epochs, onValidation);
            EpochMetrics atBest = epochs.stream().filter(m -> m.epoch() == best.epoch()).findFirst().orElseThrow();
            EpochMetrics last = epochs.get(epochs.size() - 1);
            return new Outcome(run, best.epoch(), atBest.testAccuracy(), atBest.validationAccuracy(),
                    last.testAccuracy(), epochs.stream().mapToDouble(EpochMetrics::seconds).sum());
        }
    }

    /** sweep.csv: the header and one row per outcome, in the order given. */
    public static String runs(SweepSpec spec, List<Outcome> outcomes) {
        boolean validation = hasValidation(spec);
        StringBuilder out = new StringBuilder(RUN + ",");
        spec.sweptFields().forEach(f -> out.append(f).append(','));
        out.append("seed,best_epoch,best_test_accuracy,").append(validation ? "best_validation_accuracy," : "")
                .append("final_test_accuracy,seconds\n");
        for (Outcome o : outcomes) {
            out.append(o.run().folder()).append(',');
            spec.sweptFields().forEach(f -> out.append(o.run().point().text(f)).append(','));
            out.append(o.run().seed()).append(',').append(o.bestEpoch()).append(',').append(cell(o.bestTestAccuracy()))
                    .append(',').append(validation ? cell(o.bestValidationAccuracy()) + "," : "")
                    .append(cell(o.finalTestAccuracy())).append(',').append(cell(o.seconds())).append('\n');
        }
        return out.toString();
    }

    /**
     * What a point's finished runs gave: their number, the mean and sample standard deviation over them of the best
     * and the final test accuracy, and their mean training seconds.
     */
    public record PointResult(SweepSpec.Point point, int runs, double bestTestMean, double bestTestStd,
                              double finalTestMean, double finalTestStd, double secondsMean) {
    }

    /** Each point with at least one outcome, in the sweep's order of points. */
    public static List<PointResult> byPoint(SweepSpec spec, List<Outcome> outcomes) {
        Map<SweepSpec.Point, List<Outcome>> grouped = new LinkedHashMap<>();
        spec.points().forEach(p -> grouped.put(p, new ArrayList<>()));
        outcomes.forEach(o -> grouped.get(o.run().point()).add(o));
        List<PointResult> results = new ArrayList<>();
        grouped.forEach((p, runs) -> {
            if (!runs.isEmpty()) {
                double[] best = runs.stream().mapToDouble(Outcome::bestTestAccuracy).toArray();
                double[] last = runs.stream().mapToDouble(Outcome::finalTestAccuracy).toArray();
                results.add(new PointResult(p, runs.size(), mean(best), std(best), mean(last), std(last),
                        mean(runs.stream().mapToDouble(Outcome::seconds).toArray())));
            }
        });
        return results;
    }

    /** points.csv: the header and one row per point with outcomes, in the sweep's order of points. */
    public static String points(SweepSpec spec, List<Outcome> outcomes) {
        StringBuilder out = new StringBuilder();
        spec.sweptFields().forEach(f -> out.append(f).append(','));
        out.append("runs,best_test_accuracy_mean,best_test_accuracy_std,final_test_accuracy_mean,"
                + "final_test_accuracy_std,seconds_mean\n");
        for (PointResult r : byPoint(spec, outcomes)) {
            spec.sweptFields().forEach(f -> out.append(r.point().text(f)).append(','));
            out.append(r.runs()).append(',').append(cell(r.bestTestMean())).append(',').append(cell(r.bestTestStd()))
                    .append(',').append(cell(r.finalTestMean())).append(',').append(cell(r.finalTestStd()))
                    .append(',').append(cell(r.secondsMean())).append('\n');
        }
        return out.toString();
    }

    /** The folders of the runs a sweep.csv lists: the runs a resumed sweep keeps; empty when there is no file. */
    public static Set<String> finishedRuns(Path file) throws IOException {
        Set<String> runs = new LinkedHashSet<>();
        if (!Files.exists(file)) {
            return runs;
        }
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty() || !lines.get(0).startsWith(RUN + ",")) {
            return runs;
        }
        lines.stream().skip(1).filter(l -> !l.isBlank()).forEach(l -> runs.add(l.substring(0, l.indexOf(','))));
        return runs;
    }

    public static double mean(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        return sum / v.length;
    }

    /** The sample standard deviation (n - 1); NaN for fewer than two values. */
    public static double std(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v), sum = 0;
        for (double x : v) {
            sum += (x - m) * (x - m);
        }
        return Math.sqrt(sum / (v.length - 1));
    }

    private static boolean hasValidation(SweepSpec spec) {
        return spec.points().stream().anyMatch(p -> spec.config(p).validation() > 0);
    }

    private static String cell(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }
}
