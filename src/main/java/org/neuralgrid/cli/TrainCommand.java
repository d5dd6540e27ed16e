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
import org.neuralgrid.engine.EpochMetrics;
import org.neuralgrid.engine.MetricsCsv;
import org.neuralgrid.engine.RunFiles;
import org.neuralgrid.engine.Trainer;
import org.neuralgrid.engine.TrainingListener;
import org.neuralgrid.engine.TrainingListeners;
import org.neuralgrid.engine.catalog.BackendCatalog;
import org.neuralgrid.model.ModelLayout;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.RunConfigJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true, modelTransformer = ConfigOptions.class,
        description = "Train a NeuralGrid; writes config.json, weights.safetensors and checkpoint.safetensors to --out.")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--grid", paramLabel = "HxW", description = "2d: --height x --width in one, e.g. 64x64")
    String grid;

    @Option(names = "--data-dir", description = "folder of the Fashion-MNIST IDX files (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of("data", "fashion-mnist");

    @Option(names = "--out", description = "run folder (default: runs/DATE-TIME-HxW)")
    Path out;

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
                config = RunConfigJson.fromText(config, Map.of("epochs", spec.findOption("--epochs").getValue()));
            }
            config = config.validated();
        } else {
            config = ConfigOptions.read(spec, RunConfig.defaults(), GridShorthand.parse(grid)).validated();
            dir = out != null ? out : Path.of("runs", LocalDateTime.now().format(
                    DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)) + "-" + config.gridText());
        }
        DataSplit data = TrainingData.load(config, dataDir, (msg, fraction) -> System.err.println(msg));
        RunFiles files = new RunFiles(dir, config);
        files.writeConfig();
        try (Backend backend = BackendCatalog.standard().open(config)) {
            backend.upload(data);
            int first = 1;
            if (resume != null) {
                RunFiles.Checkpoint cp = files.readCheckpoint(ModelLayout.zeros(config));
                backend.setParameters(cp.parameters());
                backend.setOptimizerState(cp.optimizer());
                first = cp.epoch() + 1;
                stdout.println("resuming " + dir + " after epoch " + cp.epoch());
            }
            TrainingListener listener = new TrainingListeners(new ConsoleProgress(stdout, System.err),
                    MetricsCsv.appendingTo(dir.resolve("metrics.csv")));
            EpochMetrics last = new Trainer(config, backend, data, listener, files).train(first, () -> false);
            stdout.println("weights: " + files.weights() + (last == null ? " (nothing left to train)" : ""));
        }
        return 0;
    }
}
