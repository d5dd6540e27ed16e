package org.neuralgrid.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.TrainingData;
import org.neuralgrid.engine.Backend;
import org.neuralgrid.engine.Backends;
import org.neuralgrid.engine.EpochMetrics;
import org.neuralgrid.engine.RunFiles;
import org.neuralgrid.engine.Trainer;
import org.neuralgrid.engine.TrainingListener;
import org.neuralgrid.engine.TrainingListeners;
import org.neuralgrid.model.DatasetKind;
import org.neuralgrid.model.ModelLayout;
import org.neuralgrid.model.RunConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a NeuralGrid; writes config.json, weights.safetensors and checkpoint.safetensors to --out.")
final class TrainCommand implements Callable<Integer> {
    private static final RunConfig D = RunConfig.defaults();

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--epochs", description = "epochs to train (default: ${DEFAULT-VALUE})")
    int epochs = D.epochs();

    @Option(names = "--dataset", description = "fashion-mnist or synthetic (default: ${DEFAULT-VALUE})")
    String dataset = D.dataset().id();

    @Option(names = "--samples", description = "training samples of the synthetic set (default: ${DEFAULT-VALUE})")
    int samples = D.samples();

    @Option(names = "--test-samples", description = "test samples of the synthetic set (default: ${DEFAULT-VALUE})")
    int testSamples = D.testSamples();

    @Option(names = "--data-dir", description = "folder of the Fashion-MNIST IDX files (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of("data", "fashion-mnist");

    @Option(names = "--out", description = "run folder (default: runs/DATE-TIME-HxW)")
    Path out;

    @Option(names = "--checkpoint-every", description = "epochs between checkpoints, 0 for the end only (default: ${DEFAULT-VALUE})")
    int checkpointEvery = D.checkpointEvery();

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "continue the run in RUN_DIR from its checkpoint (its config.json; --epochs may extend it)")
    Path resume;

    @Override
    public Integer call() throws IOException {
        PrintStream stdout = System.out;
        RunConfig config;
        Path dir;
        if (resume != null) {
            dir = resume;
            config = RunFiles.readConfig(resume);
            if (spec.commandLine().getParseResult().hasMatchedOption("--epochs")) {
                config = config.withEpochs(epochs);
            }
            config = config.validated();
        } else {
            config = model.config(epochs, DatasetKind.parse(dataset), samples, testSamples, checkpointEvery);
            dir = out != null ? out : Path.of("runs", LocalDateTime.now().format(
                    DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)) + "-" + config.gridText());
        }
        DataSplit data = TrainingData.load(config, dataDir, (msg, fraction) -> System.err.println(msg));
        RunFiles files = new RunFiles(dir, config);
        files.writeConfig();
        try (Backend backend = Backends.open(config)) {
            backend.upload(data);
            int first = 1;
            if (resume != null) {
                RunFiles.Checkpoint cp = files.readCheckpoint(ModelLayout.zeros(config));
                backend.setParameters(cp.parameters());
                backend.setOptimizerState(cp.optimizer());
                first = cp.epoch() + 1;
                stdout.println("resuming " + dir + " after epoch " + cp.epoch());
            }
            TrainingListener listener = new TrainingListeners(new ConsoleProgress(stdout, System.err), new MetricsCsv(dir));
            EpochMetrics last = new Trainer(config, backend, data, listener, files).train(first, () -> false);
            stdout.println("weights: " + files.weights() + (last == null ? " (nothing left to train)" : ""));
        }
        return 0;
    }

    /** Appends each epoch's metrics to metrics.csv in the run folder. */
    static final class MetricsCsv implements TrainingListener {
        private final Path file;

        MetricsCsv(Path dir) {
            this.file = dir.resolve("metrics.csv");
        }

        @Override
        public void onEpoch(EpochMetrics m) {
            try {
                if (!Files.exists(file)) {
                    Files.writeString(file, "epoch,train_loss,train_accuracy,test_loss,test_accuracy,lr,seconds,"
                            + "samples_per_second\n");
                }
                Files.writeString(file, String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.6g,%.3f,%.1f%n",
                        m.epoch(), m.trainLoss(), m.trainAccuracy(), m.testLoss(), m.testAccuracy(),
                        m.learningRate(), m.seconds(), m.samplesPerSecond()), StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("could not write " + file, e);
            }
        }
    }
}
