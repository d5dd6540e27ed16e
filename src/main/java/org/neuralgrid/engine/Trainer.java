package org.neuralgrid.engine;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.neuralgrid.data.Augmentation;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.io.MapKind;
import org.neuralgrid.model.Augment;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;

/**
 * The training loop: shuffle, (augment,) train every full batch at the schedule's rate, evaluate on the
 * validation and test sets, take the pictures of the grid (every {@link MapKind}), keep the best epoch,
 * checkpoint, and stop early when the best epoch is {@code patience} epochs old. It knows nothing of how the maths runs (the {@link Backend}) nor of
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
    private ParameterSnapshots snapshots = new ParameterSnapshots();
    private final boolean onValidation;
    private final LearningRate rate;
    /** Where the newest saved state continues: epoch and batch of the next step (epoch * 2^20 + batch). */
    private long saved;

    /** Where a run's parameters go: the best epoch's when it changes, everything at checkpoints and at the end. */
    public interface Checkpoints {
        /** The parameters of a new best epoch. */
        void saveBest(BestEpoch best, Backend backend);

        /** Weights and the resumable state after {@code epoch}, with the best epoch as of then. */
        void save(int epoch, Backend backend, BestEpoch best, boolean last);

        /**
         * The resumable state in the middle of an epoch: {@code start.batch()} batches of {@code start.epoch()} are
         * trained, with the train metrics and seconds so far (a server stopping saves where it is).
         */
        default void saveWithin(Start start, Backend backend) {
        }

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
     * Where training starts: at batch {@code batch} (0: the start) of epoch {@code epoch}, with the sums of the
     * batches before it and the best epoch before it.
     *
     * @param partial the train loss sum, correct count and samples of the epoch's batches before {@code batch}
     * @param seconds the training seconds of those batches
     */
    public record Start(int epoch, int batch, TrainMetrics partial, double seconds, BestEpoch best) {
        /** The start of a new run. */
        public static final Start NEW = new Start(1, 0, new TrainMetrics(0, 0, 0), 0, BestEpoch.NONE);

        /** At the start of an epoch. */
        public static Start at(int epoch, BestEpoch best) {
            return new Start(epoch, 0, new TrainMetrics(0, 0, 0), 0, best);
        }
    }

    /** Whether training should stop at the next batch, and whether to save where it stops first. */
    public interface Stop {
        boolean requested();

        /** Save the state at the batch where training stops (a server going down) rather than drop it. */
        default boolean saveFirst() {
            return false;
        }
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

    /** Answers {@code snapshots}' requests between two steps (probes of the live model); returns this. */
    public Trainer serving(ParameterSnapshots snapshots) {
        this.snapshots = snapshots;
        return this;
    }

    /**
     * Trains epochs firstEpoch..config.epochs() (1-based); the backend already holds the starting parameters and
     * {@code best} is the best epoch before firstEpoch ({@link BestEpoch#NONE} for a new run).
     */
    public Result train(int firstEpoch, BestEpoch bestBefore, BooleanSupplier cancelled) {
        return train(Start.at(firstEpoch, bestBefore), cancelled::getAsBoolean);
    }

    /** Trains from a start (a new run, an epoch's start or a batch within one) to the end or a stop. */
    public Result train(Start start, Stop stop) {
        int firstEpoch = start.epoch();
        saved = position(start.epoch(), start.batch());
        listener.onStart(firstEpoch, config.epochs(), backend.name(), backend.device());
        int[][] mapSamples = data.test().firstOfEachClass(config.mapSamples());
        if (firstEpoch == 1 && start.batch() == 0) {
            showPictures(0, mapSamples);
        }
        EpochMetrics last = null;
        BestEpoch best = start.best();
        for (int epoch = firstEpoch; epoch <= config.epochs(); epoch++) {
            Start from = epoch == firstEpoch ? start : Start.at(epoch, best);
            last = trainEpoch(from, stop);
            BestEpoch now = best.after(last, onValidation);
            if (now != best) {
                best = now;
                checkpoints.saveBest(best, backend);
            }
            listener.onEpoch(last, best);
            showPictures(epoch, mapSamples);
            String stopped = patienceRanOut(epoch, best);
            boolean end = epoch == config.epochs() || stopped != null;
            if (end || (config.checkpointEvery() > 0 && epoch % config.checkpointEvery() == 0)) {
                checkpoints.save(epoch, backend, best, end);
                saved = position(epoch + 1, 0);
            }
            if (stopped != null) {
                return new Result(last, best, stopped);
            }
        }
        return new Result(last, best, null);
    }

    /**
     * Hands the listener every kind of picture of the grid as it is now, in {@link MapKind} order (mean first):
     * the backend's class maps and, read from the same state, its parameters. Reading changes nothing, so a run
     * trains the same bits whoever watches it.
     */
    private void showPictures(int epoch, int[][] mapSamples) {
        ClassMaps measured = backend.activationMaps(epoch, mapSamples);
        ParameterSnapshots.Snapshot held = snapshots.still();
        Parameters now = held != null ? held.parameters() : backend.parameters();
        for (ActivationMaps picture : GridPictures.of(measured, now).values()) {
            listener.onActivationMaps(picture);
        }
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

    private EpochMetrics trainEpoch(Start from, Stop stop) {
        int epoch = from.epoch();
        int batches = data.train().count() / config.batch();
        if (config.augment() != Augment.NONE) {
            backend.setTrainImages(Augmentation.apply(data.train(), config.augment(), config.seed(), epoch));
        }
        backend.beginEpoch(shuffledOrder(data.train().count(), config.seed(), epoch));
        long start = System.nanoTime() - (long) (from.seconds() * 1e9);
        long lastReport = start;
        for (int b = from.batch(); b < batches; b++) {
            if (stop.requested()) {
                stopWithin(from, b, start, stop);
            }
            snapshots.serve(backend, epoch, b);
            backend.trainStep(b, (float) rate.at(epoch, b));
            long now = System.nanoTime();
            if (now - lastReport >= PROGRESS_NANOS && b + 1 < batches) {
                lastReport = now;
                report(epoch, b + 1, batches, start, now, plus(from.partial(), backend.trainMetrics()));
            }
        }
        snapshots.holdStill(backend, epoch, batches);
        TrainMetrics train = plus(from.partial(), backend.trainMetrics()); // waits for queued steps
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

    /**
     * Stops before batch {@code batch}; first saves the state there when the stop asks for it and nothing saved
     * holds it yet (an epoch's start after a checkpoint, or the very point a run resumed from, need no new save).
     */
    private void stopWithin(Start from, int batch, long start, Stop stop) {
        if (stop.saveFirst() && position(from.epoch(), batch) != saved) {
            TrainMetrics done = plus(from.partial(), backend.trainMetrics());
            checkpoints.saveWithin(new Start(from.epoch(), batch, done, (System.nanoTime() - start) / 1e9,
                    from.best()), backend);
        }
        throw new TrainingCancelledException(from.epoch());
    }

    private static long position(int epoch, int batch) {
        return ((long) epoch << 20) + batch;
    }

    private static TrainMetrics plus(TrainMetrics a, TrainMetrics b) {
        return new TrainMetrics(a.lossSum() + b.lossSum(), a.correct() + b.correct(), a.samples() + b.samples());
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
