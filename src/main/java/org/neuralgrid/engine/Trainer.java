package org.neuralgrid.engine;

import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.model.RunConfig;

/**
 * The training loop of the published recipe: shuffle, train every full batch, evaluate, take the activation
 * maps, checkpoint. It knows nothing of how the maths runs (the {@link Backend}) nor of who watches (the
 * {@link TrainingListener}).
 */
public final class Trainer {
    /** Fewer progress reports than this interval apart are dropped: about five a second. */
    private static final long PROGRESS_NANOS = 200_000_000L;

    private final RunConfig config;
    private final Backend backend;
    private final DataSplit data;
    private final TrainingListener listener;
    private final Checkpoints checkpoints;

    /** Where a run's parameters go at its checkpoints and at the end. */
    public interface Checkpoints {
        void save(int epoch, Backend backend, boolean last);

        Checkpoints NONE = (epoch, backend, last) -> {
        };
    }

    public Trainer(RunConfig config, Backend backend, DataSplit data, TrainingListener listener,
                   Checkpoints checkpoints) {
        this.config = config;
        this.backend = backend;
        this.data = data;
        this.listener = listener;
        this.checkpoints = checkpoints;
    }

    /** Trains epochs firstEpoch..config.epochs() (1-based); the backend already holds the starting parameters. */
    public EpochMetrics train(int firstEpoch, BooleanSupplier cancelled) {
        listener.onStart(firstEpoch, config.epochs(), backend.name(), backend.device());
        int[][] mapSamples = data.test().firstOfEachClass(config.mapSamples());
        if (firstEpoch == 1) {
            listener.onActivationMaps(backend.activationMaps(0, mapSamples));
        }
        EpochMetrics last = null;
        for (int epoch = firstEpoch; epoch <= config.epochs(); epoch++) {
            last = trainEpoch(epoch, cancelled);
            listener.onEpoch(last);
            listener.onActivationMaps(backend.activationMaps(epoch, mapSamples));
            boolean end = epoch == config.epochs();
            if (end || (config.checkpointEvery() > 0 && epoch % config.checkpointEvery() == 0)) {
                checkpoints.save(epoch, backend, end);
            }
        }
        return last;
    }

    private EpochMetrics trainEpoch(int epoch, BooleanSupplier cancelled) {
        double lr = config.learningRate(epoch);
        int batches = data.train().count() / config.batch();
        backend.beginEpoch(shuffledOrder(data.train().count(), config.seed(), epoch));
        long start = System.nanoTime();
        long lastReport = start;
        for (int b = 0; b < batches; b++) {
            if (cancelled.getAsBoolean()) {
                throw new TrainingCancelledException(epoch);
            }
            backend.trainStep(b, (float) lr);
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
        Evaluation test = backend.evaluate();
        requireFinite(test.loss(), epoch, "test loss");
        return new EpochMetrics(epoch, train.meanLoss(), train.accuracy(), test.loss(), test.accuracy(), lr,
                seconds, train.samples() / seconds);
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
