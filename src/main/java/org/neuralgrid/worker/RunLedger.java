package org.neuralgrid.worker;

import org.neuralgrid.engine.BestEpoch;
import org.neuralgrid.engine.RunFiles;
import org.neuralgrid.engine.Trainer;
import org.neuralgrid.engine.TrainingListener;

/**
 * What a {@link TrainingJob} tells about its run, and where it keeps the run's files: the store of this process
 * ({@link StoreLedger}), or the dashboard node of a cluster, reached over the event bus ({@link NodeReports}).
 */
interface RunLedger {
    /** The run's folder: its checkpoint is read from there at the start, and the trainer saves there. */
    RunFiles files();

    /** The backend and device the run trains on, once they are open. */
    void device(String backend, String device);

    /** The run continues from the checkpoint of {@code epoch}: what came after it is forgotten. */
    void rewound(int epoch, BestEpoch best);

    /** Hears the run's progress, epochs and maps. */
    TrainingListener listener();

    /** Where the trainer saves weights and checkpoints: the run's folder, and whatever must follow a save. */
    default Trainer.Checkpoints checkpoints() {
        return files();
    }
}
