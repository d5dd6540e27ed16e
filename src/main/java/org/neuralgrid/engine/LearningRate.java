package org.neuralgrid.engine;

import org.neuralgrid.model.RunConfig;

/**
 * The learning rate of every training step under a configuration's schedule (see {@link
 * org.neuralgrid.model.Schedule}): the published step schedule, cosine annealing and one-cycle, each with an
 * optional linear warm-up.
 */
public final class LearningRate {
    /**
     * One-cycle starts at lr / 25 and ends at that / 10⁴, as PyTorch's OneCycleLR does by default; unlike it the climb
     * is linear and Adam's beta1 stays put.
     */
    static final double ONECYCLE_START = 25;
    static final double ONECYCLE_END = 1e4;
    /** One-cycle's climb without an explicit warm-up: 30 % of the steps. */
    static final double ONECYCLE_CLIMB = 0.3;

    private final RunConfig config;
    private final long stepsPerEpoch;
    private final long total;
    private final long warmup;

    /** @param stepsPerEpoch the optimizer steps of one epoch (full batches) */
    public LearningRate(RunConfig config, int stepsPerEpoch) {
        this.config = config;
        this.stepsPerEpoch = Math.max(1, stepsPerEpoch);
        this.total = this.stepsPerEpoch * config.epochs();
        long explicit = this.stepsPerEpoch * config.warmup();
        this.warmup = switch (config.schedule()) {
            case ONECYCLE -> explicit > 0 ? explicit : Math.max(1, Math.round(ONECYCLE_CLIMB * total));
            default -> explicit;
        };
    }

    /** The rate of step {@code batch} (0-based) of a 1-based epoch. */
    public double at(int epoch, int batch) {
        long t = (epoch - 1L) * stepsPerEpoch + batch;
        double lr = config.lr();
        return switch (config.schedule()) {
            case STEP -> lr * Math.pow(config.lrGamma(), (epoch - 1) / config.lrStep()) * warm(t);
            case COSINE -> t < warmup ? lr * warm(t) : lr * cosine(t);
            case ONECYCLE -> {
                double start = lr / ONECYCLE_START;
                double end = start / ONECYCLE_END;
                yield t < warmup ? start + (lr - start) * t / warmup : end + (lr - end) * cosine(t);
            }
        };
    }

    /** The rate of an epoch's last step (what the epoch metrics report). */
    public double endOf(int epoch) {
        return at(epoch, (int) stepsPerEpoch - 1);
    }

    /** The linear warm-up's factor: (t+1)/warmup during it, 1 after. */
    private double warm(long t) {
        return t < warmup ? (t + 1.0) / warmup : 1;
    }

    /** Half a cosine from 1 at the end of the warm-up to 0 after the last step. */
    private double cosine(long t) {
        double progress = (double) (t - warmup) / Math.max(1, total - warmup);
        return 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
    }
}
