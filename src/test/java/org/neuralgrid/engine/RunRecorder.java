package org.neuralgrid.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.neuralgrid.model.Parameters;

/**
 * Watches a training run for a test: every epoch's metrics, the best epoch the trainer reported with it, the
 * backend's parameters right after it, and what was handed to the checkpoints (best epochs saved, checkpoints
 * written), passing those on to the real ones.
 */
final class RunRecorder implements TrainingListener, Trainer.Checkpoints {
    final List<EpochMetrics> epochs = new ArrayList<>();
    final List<BestEpoch> reportedBest = new ArrayList<>();
    final Map<Integer, Parameters> parameters = new HashMap<>();
    final List<Integer> bestSaved = new ArrayList<>();
    /** {epoch, last ? 1 : 0} of every checkpoint written. */
    final List<int[]> saved = new ArrayList<>();
    private final Backend backend;
    private final Trainer.Checkpoints files;

    RunRecorder(Backend backend, Trainer.Checkpoints files) {
        this.backend = backend;
        this.files = files;
    }

    @Override
    public void onEpoch(EpochMetrics m, BestEpoch best) {
        epochs.add(m);
        reportedBest.add(best);
        parameters.put(m.epoch(), backend.parameters());
    }

    @Override
    public void saveBest(BestEpoch best, Backend b) {
        bestSaved.add(best.epoch());
        files.saveBest(best, b);
    }

    @Override
    public void save(int epoch, Backend b, BestEpoch best, boolean last) {
        saved.add(new int[] {epoch, last ? 1 : 0});
        files.save(epoch, b, best, last);
    }

    /** The epoch of the highest value, the earliest of equals; 0 when there is none. */
    static int argmax(List<EpochMetrics> epochs, ToDoubleFunction<EpochMetrics> value) {
        int best = 0;
        double top = Double.NEGATIVE_INFINITY;
        for (EpochMetrics m : epochs) {
            double v = value.applyAsDouble(m);
            if (v > top) {
                top = v;
                best = m.epoch();
            }
        }
        return best;
    }
}
