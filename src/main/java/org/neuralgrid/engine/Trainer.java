package org.neuralgrid.engine;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.neuralgrid.data.Augmentation;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.model.Augment;
import org.neuralgrid.model.RunConfig;

/**
 * The training loop: shuffle, (augment,) train every full batch at the schedule's rate, evaluate on the
 * validation and test sets, take the activation maps, keep the best epoch, checkpoint, and stop early when the
 * best epoch is {@code patience} epochs old. It knows nothing of how the maths runs (the {@link Backend}) nor of
 * who watches (the {@link TrainingListener}).
 */
public final class Trainer {
    /** Fewer progress reports than this interval apart are dropped: about five a second. */
    private static final long PROGRESS_NANOS = 200_000_000L;

    private final RunConfig config;
    private final Backend backend;
    private final DataSplit data;
    private final TrainingListener listener;
    private final Checkpoints checkpoints;
    private final boolean onValidation;
    private final LearningRate rate;

    /** Where a run's parameters go: the best epoch's when it changes, everything at checkpoints and at the end. */
    public interface Checkpoints {
        /** The parameters of a new best epoch. */
        void saveBest(BestEpoch best, Backend backend);

        /** Weights and the resumable state after {@code epoch}, with the best epoch as of then. */
        void save(int epoch, Backend backend, BestEpoch best, boolean last);

        Checkpoints NONE = new Checkpoints() {
            @Override
            public void saveBest(BestEpoch best, Backend backend) {
            }

            @Override
            public void save(int epoch, Backend backend, BestEpoch best, boolean last) {
            }
        };
    }

    /**
     * How training ended.
     *
     * @param last    the metrics of the last epoch trained (null when nothing was left to train)
     * @param best    the best epoch
     * @param stopped why training stopped before the last epoch (patience), or null
     */
    public record Result(EpochMetrics last, BestEpoch best, String stopped) {
    }

    public Trainer(RunConfig config, Backend backend, DataSplit data, TrainingListener listener,
                   Checkpoints checkpoints) {
        this.config = config;
        this.backend = backend;
        this.data = data;
        this.listener = listener;
        this.checkpoints = checkpoints;
        this.onValidation = data.validation().count() > 0;
        this.rate = new LearningRate(config, data.train().count() / config.batch());
    }

    /**
     * Trains epochs firstEpoch..config.epochs() (1-based); the backend already holds the starting parameters and
     * {@code best} is the best epoch before firstEpoch ({@link BestEpoch#NONE} for a new run).
     */
    public Result train(int firstEpoch, BestEpoch bestBefore, BooleanSupplier cancelled) {
        listener.onStart(firstEpoch, config.epochs(), backend.name(), backend.device());
        int[][] mapSamples = data.test().firstOfEachClass(config.mapSamples());
        if (firstEpoch == 1) {
            listener.onActivationMaps(backend.activationMaps(0, mapSamples));
        }
        EpochMetrics last = null;
        BestEpoch best = bestBefore;
        for (int epoch = firstEpoch; epoch <= config.epochs(); epoch++) {
            last = trainEpoch(epoch, cancelled);
            BestEpoch now = best.after(last, onValidation);
            if (now != best) {
                best = now;
                checkpoints.saveBest(best, backend);
            }
            listener.onEpoch(last, best);
            listener.onActivationMaps(backend.activationMaps(epoch, mapSamples));
            String stopped = patienceRanOut(epoch, best);
            boolean end = epoch == config.epochs() || stopped != null;
            if (end || (config.checkpointEvery() > 0 && epoch % config.checkpointEvery() == 0)) {
                checkpoints.save(epoch, backend, best, end);
            }
            if (stopped != null) {
                return new Result(last, best, stopped);
            }
        }
        return new Result(last, best, null);
    }

    /** Why the run stops after this epoch for want of a better one, or null. */
    private String patienceRanOut(int epoch, BestEpoch best) {
        if (config.patience() == 0 || epoch == config.epochs() || epoch - best.epoch() < config.patience()) {
            return null;
        }
        return String.format(Locale.ROOT, "stopped early after epoch %d: no better %s accuracy than epoch %d's"
                + " %.2f %% for %d epochs (patience %d)", epoch, BestEpoch.selectedBy(onValidation), best.epoch(),
                100 * best.accuracy(), epoch - best.epoch(), config.patience());
    }

    private EpochMetrics trainEpoch(int epoch, BooleanSupplier cancelled) {
        int batches = data.train().count() / config.batch();
        if (config.augment() != Augment.NONE) {
            backend.setTrainImages(Augmentation.apply(data.train(), config.augment(), config.seed(), epoch));
        }
        backend.beginEpoch(shuffledOrder(data.train().count(), config.seed(), epoch));
        long start = System.nanoTime();
        long lastReport = start;
        for (int b = 0; b < batches; b++) {
            if (cancelled.getAsBoolean()) {
                throw new TrainingCancelledException(epoch);
            }
            backend.trainStep(b, (float) rate.at(epoch, b));
            long now = System.nanoTime();
            if (now - lastReport >= PROGRESS_NANOS && b + 1 < batches) {
                lastReport = now;
                report(epoch, b + 1, batches, start, now, backend.trainMetrics());
            }
        }
        TrainMetrics train = backend.trainMetrics(); // waits for an asynchronous backend's queued steps
        long end = System.nanoTime();
        report(epoch, batches, batches, start, end, train);
        double seconds = (end - start) / 1e9;
        Evaluation validation = onValidation ? backend.evaluate(EvalSet.VALIDATION) : null;
        Evaluation test = backend.evaluate(EvalSet.TEST);
        requireFinite(test.loss(), epoch, "test loss");
        return new EpochMetrics(epoch, train.meanLoss(), train.accuracy(),
                validation == null ? Double.NaN : validation.loss(),
                validation == null ? Double.NaN : validation.accuracy(), test.loss(), test.accuracy(),
                rate.endOf(epoch), seconds, train.samples() / seconds);
    }

    private void report(int epoch, int batch, int batches, long start, long now, TrainMetrics m) {
        requireFinite(m.lossSum(), epoch, "training loss");
        double elapsed = (now - start) / 1e9;
        double eta = elapsed / batch * (batches - batch);
        listener.onProgress(new TrainingProgress(epoch, config.epochs(), batch, batches, m.meanLoss(),
                m.accuracy(), elapsed, eta));
    }

    private static void requireFinite(double loss, int epoch, String what) {
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException("the " + what + " became " + loss + " in epoch " + epoch
                    + ": the run diverged (try a lower learning rate or gain); the last checkpoint is kept");
        }
    }

    /** The sample order of an epoch: a seeded shuffle that depends only on seed and epoch, so resuming repeats it. */
    public static int[] shuffledOrder(int count, long seed, int epoch) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = count - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
