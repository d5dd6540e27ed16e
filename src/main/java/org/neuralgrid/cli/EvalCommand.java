package org.neuralgrid.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.TrainingData;
import org.neuralgrid.engine.Backend;
import org.neuralgrid.engine.EvalSet;
import org.neuralgrid.engine.Evaluation;
import org.neuralgrid.engine.RunFiles;
import org.neuralgrid.engine.catalog.BackendCatalog;
import org.neuralgrid.model.BackendSpec;
import org.neuralgrid.model.ModelLayout;
import org.neuralgrid.model.RunConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a run's saved weights on its test set.")
final class EvalCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR", description = "a run folder holding config.json and weights.safetensors")
    Path run;

    @Option(names = "--data-dir", description = "folder of the Fashion-MNIST IDX files (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of("data", "fashion-mnist");

    @Option(names = "--backend", description = "overrides the run's backend")
    String backend;

    @Option(names = "--which", paramLabel = "final|best", description = "the weights after the last epoch (final) or"
            + " those of the best epoch (best) (default: ${DEFAULT-VALUE})")
    String which = "final";

    @Override
    public Integer call() throws Exception {
        RunFiles.Weights weights = CliErrors.option("--which", () -> RunFiles.Weights.parse(which));
        RunConfig config = RunFiles.readConfig(run);
        if (backend != null) {
            config = config.withBackend(CliErrors.option("--backend", () -> BackendSpec.parse(backend)));
        }
        config = config.validated();
        DataSplit data = TrainingData.load(config, dataDir, (msg, fraction) -> System.err.println(msg));
        try (Backend b = BackendCatalog.standard().open(config)) {
            b.upload(data);
            Path file = new RunFiles(run, config).weights(weights);
            b.setParameters(RunFiles.readWeights(file, ModelLayout.zeros(config)));
            Evaluation e = b.evaluate(EvalSet.TEST);
            System.out.printf(Locale.ROOT, "test loss %.4f accuracy %.2f%% (%d samples; %s weights, epoch %d)%n",
                    e.loss(), 100 * e.accuracy(), e.samples(), weights.id(), RunFiles.epochOf(file));
        }
        return 0;
    }
}
