package org.neuralgrid.worker;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.neuralgrid.bus.NodeBus;
import org.neuralgrid.bus.NodeReport;
import org.neuralgrid.engine.ActivationMaps;
import org.neuralgrid.engine.Backend;
import org.neuralgrid.engine.BestEpoch;
import org.neuralgrid.engine.EpochMetrics;
import org.neuralgrid.engine.RunFiles;
import org.neuralgrid.engine.Trainer;
import org.neuralgrid.engine.TrainingListener;
import org.neuralgrid.engine.TrainingProgress;

/**
 * The ledger of a run trained on a worker node: its files go to a scratch folder of the worker, and everything
 * (device, epochs, maps, and each file as soon as the trainer has saved it) goes to the dashboard node as
 * {@link NodeReport}s through the run's {@link ReportOutbox}, in the order it happened. The trainer saves the best
 * weights before it reports an epoch and the checkpoint after, so the dashboard holds, at any moment, a checkpoint
 * no later than its last epoch, and resuming from it forgets nothing it should keep.
 */
final class NodeReports implements RunLedger {
    private final String run;
    private final String attempt;
    private final RunFiles files;
    private final ReportOutbox outbox;

    NodeReports(String run, String attempt, RunFiles files, ReportOutbox outbox) {
        this.run = run;
        this.attempt = attempt;
        this.files = files;
        this.outbox = outbox;
    }

    @Override
    public RunFiles files() {
        return files;
    }

    @Override
    public void device(String backend, String device) {
        send(header("device").put("backend", backend).put("device", device));
    }

    @Override
    public void rewound(int epoch, BestEpoch best) {
        send(header("rewound").put("epoch", epoch).put("best", RunMessages.best(best)));
    }

    /** How the job ended, once it has (the last report of an attempt). */
    void ended(TrainingJob.Outcome outcome, StopReason asked) {
        send(header("ended").put("status", outcome.status().id()).put("message", outcome.message())
                .put("reason", asked == null ? null : asked.name().toLowerCase(java.util.Locale.ROOT)));
    }

    @Override
    public TrainingListener listener() {
        return new TrainingListener() {
            @Override
            public void onProgress(TrainingProgress p) {
                outbox.sendOnce(new NodeReport(header("progress").put("progress", RunMessages.progressEvent(p)), null));
            }

            @Override
            public void onEpoch(EpochMetrics metrics, BestEpoch best) {
                send(header("epoch").put("metrics", RunMessages.epochMetrics(metrics))
                        .put("best", RunMessages.best(best)));
            }

            @Override
            public void onActivationMaps(ActivationMaps maps) {
                outbox.add(new NodeReport(header("maps"), maps.frame().encode()));
            }
        };
    }

    @Override
    public Trainer.Checkpoints checkpoints() {
        return new Trainer.Checkpoints() {
            @Override
            public void saveBest(BestEpoch best, Backend backend) {
                files.saveBest(best, backend);
                ship(RunFiles.BEST);
            }

            @Override
            public void save(int epoch, Backend backend, BestEpoch best, boolean last) {
                files.save(epoch, backend, best, last);
                ship(RunFiles.CHECKPOINT_BEST);
                ship(RunFiles.CHECKPOINT);
                ship(RunFiles.WEIGHTS);
            }

            @Override
            public void saveWithin(Trainer.Start start, Backend backend) {
                files.saveWithin(start, backend);
                ship(RunFiles.CHECKPOINT_BEST);
                ship(RunFiles.CHECKPOINT);
            }
        };
    }

    /** Sends a file of the run's folder (if it is there) in parts of at most {@link NodeBus#CHUNK_BYTES}. */
    private void ship(String name) {
        Path file = files.dir().resolve(name);
        if (!Files.exists(file)) {
            return;
        }
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + " to send it to the dashboard node", e);
        }
        int offset = 0;
        do {
            int end = Math.min(all.length, offset + NodeBus.CHUNK_BYTES);
            outbox.add(new NodeReport(header("file").put("name", name).put("offset", offset).put("total", all.length),
                    Arrays.copyOfRange(all, offset, end)));
            offset = end;
        } while (offset < all.length);
    }

    private void send(JsonObject header) {
        outbox.add(new NodeReport(header, null));
    }

    private JsonObject header(String type) {
        return new JsonObject().put("type", type).put("run", run).put("attempt", attempt);
    }
}
