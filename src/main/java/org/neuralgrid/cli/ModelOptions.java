package org.neuralgrid.cli;

import java.util.List;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.DatasetKind;
import org.neuralgrid.model.FieldError;
import org.neuralgrid.model.GridType;
import org.neuralgrid.model.InvalidConfigException;
import org.neuralgrid.model.RunConfig;
import picocli.CommandLine.Option;

/** The model and training flags shared by train and bench; defaults are the published recipe. */
final class ModelOptions {
    private static final RunConfig D = RunConfig.defaults();

    @Option(names = "--grid-type", description = "2d (height x width, a dense layer in front) or 3d (28x28 sheets; "
            + "the image is the first sheet) (default: ${DEFAULT-VALUE})")
    String gridType = D.gridType().id();

    @Option(names = "--grid", paramLabel = "HxW", description = "2d: grid height x width (default: 64x64)")
    String grid = D.height() + "x" + D.width();

    @Option(names = "--layers", description = "3d: number of 28x28 sheets (default: ${DEFAULT-VALUE})")
    int layers = D.layers();

    @Option(names = "--kernel", description = "receptive field k, odd >= 3 (default: ${DEFAULT-VALUE})")
    int kernel = D.kernel();

    @Option(names = "--activation", description = "sin, tanh, relu, gelu or identity (default: ${DEFAULT-VALUE})")
    String activation = D.activation().id();

    @Option(names = "--gain", description = "grid weights are uniform in +-gain*sqrt(6/2k), 3d: +-gain*sqrt(6/2k^2)"
            + " (default: sqrt 2)")
    double gain = D.gain();

    @Option(names = "--batch", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch = D.batch();

    @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    double lr = D.lr();

    @Option(names = "--lr-step", description = "epochs between learning-rate drops (default: ${DEFAULT-VALUE})")
    int lrStep = D.lrStep();

    @Option(names = "--lr-gamma", description = "factor of each drop (default: ${DEFAULT-VALUE})")
    double lrGamma = D.lrGamma();

    @Option(names = "--seed", description = "seed of initialisation, shuffling and synthetic data (default: ${DEFAULT-VALUE})")
    long seed = D.seed();

    @Option(names = "--backend", description = "auto, java or opencl[:N] (default: ${DEFAULT-VALUE})")
    String backend = D.backend();

    @Option(names = "--threads", description = "CPU threads of the Java backend, 0 for all cores (default: ${DEFAULT-VALUE})")
    int threads = D.threads();

    /** The configuration these flags give, with the command's own epochs and data; every limit checked. */
    RunConfig config(int epochs, DatasetKind dataset, int samples, int testSamples, int checkpointEvery) {
        int[] hw = parseGrid(grid);
        Activation act;
        try {
            act = Activation.parse(activation);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(List.of(new FieldError("activation", e.getMessage())));
        }
        GridType type;
        try {
            type = GridType.parse(gridType);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(List.of(new FieldError("gridType", e.getMessage())));
        }
        return new RunConfig(hw[0], hw[1], kernel, act, gain, batch, lr, lrStep, lrGamma, epochs, seed, dataset,
                samples, testSamples, backend, threads, checkpointEvery, type, layers).validated();
    }

    static int[] parseGrid(String text) {
        String[] parts = text.trim().toLowerCase().split("x");
        try {
            if (parts.length == 2) {
                return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidConfigException(List.of(new FieldError("grid", "must be HEIGHTxWIDTH like 64x64, got '"
                + text + "'")));
    }
}
