package org.neuralgrid.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.TrainingData;
import org.neuralgrid.engine.Backend;
import org.neuralgrid.engine.BestEpoch;
import org.neuralgrid.engine.TrainingCancelledException;
import org.neuralgrid.engine.MetricsCsv;
import org.neuralgrid.engine.RunFiles;
import org.neuralgrid.engine.RunFiles.Weights;
import org.neuralgrid.engine.Trainer;
import org.neuralgrid.engine.TrainingListener;
import org.neuralgrid.engine.TrainingListeners;
import org.neuralgrid.engine.catalog.BackendCatalog;
import org.neuralgrid.model.ModelLayout;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.RunConfigJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true, modelTransformer = ConfigOptions.class,
        description = "Train a NeuralGrid; writes config.json, weights.safetensors and checkpoint.safetensors to --out.")
final class TrainCommand implements Callable<Integer> {
    static final String METRICS = "metrics.csv";

    @Spec
    CommandSpec spec;

    @Mixin
    StartingPoint start;

    @Option(names = "--data-dir", description = "folder of the Fashion-MNIST IDX files (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of("data", "fashion-mnist");

    @Option(names = "--out", description = "run folder (default: runs/DATE-TIME-HxW)")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "continue the run in RUN_DIR from its checkpoint (its config.json; --epochs may extend it)")
    Path resume;

    @Override
    public Integer call() throws IOException {
        RunConfig config;
        Path dir;
        if (resume != null) {
            dir = resume;
            config = RunFiles.readConfig(resume);
            if (spec.commandLine().getParseResult().hasMatchedOption("--epochs")) {
                config = RunConfigJson.fromText(config, Map.of("epochs", spec.findOption("--epochs").getValue()));
            }
            config = config.validated();
        } else {
            config = ConfigOptions.read(spec, start.base(), start.gridFields()).validated();
            dir = out != null ? out : Path.of("runs", LocalDateTime.now().format(
                    DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)) + "-" + config.gridText());
        }
        try {
            trainInto(dir, config, resume != null, dataDir, System.out);
        } catch (TrainingCancelledException e) {
            System.out.println("stopped in epoch " + e.epoch() + ", its progress saved: continue with --resume "
                    + dir);
            return 130;
        }
        return 0;
    }


    /**
     * Trains a run into its folder, a new one or (resume) one continued from the folder's checkpoint, with progress
     * and a line per epoch on {@code stdout}: the one path of {@code train} and {@code sweep}. Ctrl-C or SIGTERM
     * while it trains saves where it is and ends it with a {@link TrainingCancelledException}.
     */
    static Trainer.Result trainInto(Path dir, RunConfig config, boolean resume, Path dataDir, PrintStream stdout)
            throws IOException {
        DataSplit data = TrainingData.load(config, dataDir, (msg, fraction) -> System.err.println(msg));
        RunFiles files = new RunFiles(dir, config);
        files.writeConfig();
        try (Backend backend = BackendCatalog.standard().open(config)) {
            backend.upload(data);
            Trainer.Start start = Trainer.Start.NEW;
            if (resume) {
                RunFiles.Checkpoint cp = files.readCheckpoint(ModelLayout.zeros(config));
                backend.setParameters(cp.parameters());
                backend.setOptimizerState(cp.optimizer());
                files.restoreBest(cp);
                files.deleteHeatmapsAfter(cp.epoch());
                start = cp.start();
                stdout.println("resuming " + dir + " after epoch " + cp.epoch()
                        + (start.batch() > 0 ? ", " + start.batch() + " batches into epoch " + start.epoch() : ""));
            }
            TrainingListener listener = new TrainingListeners(new ConsoleProgress(stdout, System.err),
                    MetricsCsv.file(dir.resolve(METRICS), start.epoch()), files.heatmapWriter());
            Trainer.Result result;
            try (Interruption interruption = Interruption.onSignals()) {
                result = new Trainer(config, backend, data, listener, files).train(start, interruption);
            }
            if (result.stopped() != null) {
                stdout.println(result.stopped());
            }
            stdout.println("weights: " + files.weights() + (result.last() == null ? " (nothing left to train)" : ""));
            if (!result.best().isNone()) {
                stdout.printf(Locale.ROOT, "best: %s (epoch %d, %s accuracy %.2f %%)%n", files.weights(Weights.BEST),
                        result.best().epoch(), BestEpoch.selectedBy(config.validation() > 0),
                        100 * result.best().accuracy());
            }
            return result;
        }
    }
}
