package org.neuralgrid.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.neuralgrid.engine.BestEpoch;
import org.neuralgrid.engine.EpochMetrics;
import org.neuralgrid.engine.TrainingListener;
import org.neuralgrid.engine.TrainingProgress;

/** A progress bar with ETA on stderr during each epoch and one line of metrics per epoch on stdout. */
final class ConsoleProgress implements TrainingListener {
    private static final int BAR = 30;
    private final PrintStream out;
    private final PrintStream err;
    private boolean barShown;

    ConsoleProgress(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void onStart(int firstEpoch, int epochs, String backend, String device) {
        out.printf(Locale.ROOT, "training epochs %d..%d on %s (%s)%n", firstEpoch, epochs, backend, device);
    }

    @Override
    public void onProgress(TrainingProgress p) {
        int filled = (int) Math.round(p.fraction() * BAR);
        err.printf(Locale.ROOT, "\repoch %d/%d [%s%s] %3.0f%% loss %.4f acc %5.2f%% ETA %s ", p.epoch(), p.epochs(),
                "#".repeat(filled), ".".repeat(BAR - filled), 100 * p.fraction(), p.runningLoss(),
                100 * p.runningAccuracy(), duration(p.etaSeconds()));
        err.flush();
        barShown = true;
    }

    @Override
    public void onEpoch(EpochMetrics m, BestEpoch best) {
        if (barShown) {
            err.print("\r" + " ".repeat(BAR + 60) + "\r");
            err.flush();
            barShown = false;
        }
        out.println(line(m) + (best.epoch() == m.epoch() ? "  best" : ""));
        out.flush();
    }

    static String line(EpochMetrics m) {
        String validation = Double.isNaN(m.validationAccuracy()) ? "" : String.format(Locale.ROOT,
                "  val loss %.4f acc %6.2f%%", m.validationLoss(), 100 * m.validationAccuracy());
        return String.format(Locale.ROOT, "epoch %4d  train loss %.4f acc %6.2f%%%s  test loss %.4f acc %6.2f%%  "
                        + "lr %.2e  %7.2f s  %8.0f samples/s", m.epoch(), m.trainLoss(), 100 * m.trainAccuracy(),
                validation, m.testLoss(), 100 * m.testAccuracy(), m.learningRate(), m.seconds(),
                m.samplesPerSecond());
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
