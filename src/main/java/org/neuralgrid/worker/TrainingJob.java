package org.neuralgrid.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.neuralgrid.bus.RunStatus;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.engine.Backend;
import org.neuralgrid.engine.BackendUnavailableException;
import org.neuralgrid.engine.ParameterSnapshots;
import org.neuralgrid.engine.RunFiles;
import org.neuralgrid.engine.Trainer;
import org.neuralgrid.engine.TrainingCancelledException;
import org.neuralgrid.engine.TrainingDivergedException;
import org.neuralgrid.engine.catalog.BackendCatalog;
import org.neuralgrid.model.ModelLayout;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.store.RunStoreException;

/**
 * The training of one run, on a thread of its own (never a Vert.x thread): load the data, open the backend,
 * continue from the checkpoint if there is one, train. {@link #run} never throws: every ending is an
 * {@link Outcome}. The status of the run is the business of whoever started the job; this job tells only the
 * device, the epochs, the heatmaps and the files, to its {@link RunLedger}.
 */
final class TrainingJob implements RunHandle {
    private static final System.Logger LOG = System.getLogger(TrainingJob.class.getName());

    /** How the job ended: completed, cancelled (for any {@link StopReason}) or failed with a message. */
    record Outcome(RunStatus status, String message) {
    }

    private final String id;
    private final RunConfig config;
    private final RunLedger ledger;
    private final TrainingDataSource data;
    private final BackendCatalog backends;
    private final ParameterSnapshots snapshots = new ParameterSnapshots();
    private volatile StopReason stopReason;
    private volatile Outcome outcome;

    /**
     * @param threads the CPU threads to train with where the run leaves them to the server (its config's 0), or 0;
     *                the count never changes what the run computes, only how fast
     */
    TrainingJob(String id, RunConfig config, int threads, RunLedger ledger, TrainingDataSource data,
                BackendCatalog backends) {
        this.id = id;
        this.config = threads > 0 && config.threads() == 0 ? config.with("threads", threads) : config;
        this.ledger = ledger;
        this.data = data;
        this.backends = backends;
    }

    public String id() {
        return id;
    }

    /** Asks the job to stop at the next batch; the first reason given sticks. */
    public synchronized void requestStop(StopReason reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    public StopReason stopReason() {
        return stopReason;
    }

    boolean stopRequested() {
        return stopReason != null;
    }

    /** The live parameters, between two steps, while the job trains. */
    ParameterSnapshots snapshots() {
        return snapshots;
    }

    /** How the job ended, or null while it runs. */
    Outcome outcome() {
        return outcome;
    }

    /** Trains the run to its end, its cancellation or its failure. */
    Outcome run() {
        Outcome o;
        try {
            o = new Outcome(RunStatus.COMPLETED, train());
        } catch (TrainingCancelledException e) {
            o = new Outcome(RunStatus.CANCELLED, null);
        } catch (TrainingDivergedException | BackendUnavailableException e) {
            o = failed(e.getMessage());
        } catch (UnreadableInputException | UncheckedIOException | RunStoreException e) {
            o = failed(e.getMessage());
        } catch (OutOfMemoryError e) {
            o = failed("ran out of memory (" + e.getMessage() + "): try a smaller grid or batch, or give the server "
                    + "more memory (-Xmx)");
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.ERROR, "run " + id + " failed", e);
            o = failed("training failed: " + e);
        }
        snapshots.close();
        outcome = o;
        return o;
    }

    private static Outcome failed(String message) {
        return new Outcome(RunStatus.FAILED, message);
    }

    /** Trains to the end; returns why it stopped early (patience), or null. */
    private String train() {
        RunFiles files = ledger.files();
        DataSplit split = loadData();
        stopIfAsked(0);
        try (Backend backend = backends.open(config)) {
            ledger.device(backend.name(), backend.device());
            backend.upload(split);
            Trainer.Start start = Files.exists(files.checkpoint())
                    ? continueFromCheckpoint(files, backend).start() : Trainer.Start.NEW;
            stopIfAsked(start.epoch());
            if (start.epoch() > config.epochs()) {
                return null;
            }
            return new Trainer(config, backend, split, ledger.listener(), ledger.checkpoints())
                    .serving(snapshots).train(start, stop()).stopped();
        }
    }

    private DataSplit loadData() {
        try {
            return data.load(config);
        } catch (IOException e) {
            throw new UnreadableInputException("could not load the " + config.dataset().id() + " data: " + e.getMessage(), e);
        }
    }

    /** Loads the checkpoint into the backend and forgets the epochs (and any best epoch) after it. */
    private RunFiles.Checkpoint continueFromCheckpoint(RunFiles files, Backend backend) {
        RunFiles.Checkpoint checkpoint;
        try {
            checkpoint = files.readCheckpoint(ModelLayout.zeros(config));
            files.restoreBest(checkpoint);
        } catch (IOException | RuntimeException e) {
            throw new UnreadableInputException("could not read the checkpoint " + files.checkpoint() + ": "
                    + e.getMessage(), e);
        }
        backend.setParameters(checkpoint.parameters());
        backend.setOptimizerState(checkpoint.optimizer());
        ledger.rewound(checkpoint.epoch(), checkpoint.best());
        return checkpoint;
    }

    /** Stop at the next batch when asked; a server stopping (INTERRUPT) saves where the run is first. */
    private Trainer.Stop stop() {
        return new Trainer.Stop() {
            @Override
            public boolean requested() {
                return stopRequested();
            }

            @Override
            public boolean saveFirst() {
                return stopReason == StopReason.INTERRUPT;
            }
        };
    }

    private void stopIfAsked(int epoch) {
        if (stopRequested()) {
            throw new TrainingCancelledException(epoch);
        }
    }

    /** The data or a checkpoint could not be read. */
    private static final class UnreadableInputException extends RuntimeException {
        UnreadableInputException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
