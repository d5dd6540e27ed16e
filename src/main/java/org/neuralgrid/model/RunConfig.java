package org.neuralgrid.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Everything that defines a training run: the model, the recipe and the data. One immutable record used by the
 * CLI, the dashboard's form and the JSON API alike; {@link #errors(long)} holds every limit in one place.
 * The defaults are the published recipe (Fischer 2021): a 64x64 sine grid, k = 3, Adam at 1e-4 divided by 10
 * every 100 epochs, batch 256, 300 epochs.
 *
 * @param height          grid height H: cells per layer
 * @param width           grid width W: number of grid layers
 * @param kernel          receptive field k (odd, >= 3)
 * @param activation      h, applied in every grid cell
 * @param gain            grid weights are uniform in +-gain*sqrt(6/(k+k))
 * @param batch           samples per optimizer step (the last partial batch of an epoch is dropped)
 * @param lr              Adam's initial learning rate
 * @param lrStep          the learning rate is multiplied by lrGamma every lrStep epochs
 * @param lrGamma         see lrStep
 * @param epochs          epochs to train
 * @param seed            seeds initialisation, shuffling and the synthetic data
 * @param dataset         fashion-mnist or synthetic
 * @param samples         training samples of the synthetic set (Fashion-MNIST always has 60,000)
 * @param testSamples     test samples of the synthetic set (Fashion-MNIST always has 10,000)
 * @param backend         auto, java, or opencl[:N]
 * @param threads         CPU threads for the Java backend (0: all cores)
 * @param checkpointEvery a checkpoint is written every this many epochs (0: only at the end)
 * @param gridType        2d (height x width, the published default) or 3d (image-shaped sheets)
 * @param layers          3d only: the number of 28x28 sheets (height and width are then unused)
 */
public record RunConfig(
        int height, int width, int kernel, Activation activation, double gain,
        int batch, double lr, int lrStep, double lrGamma, int epochs, long seed,
        DatasetKind dataset, int samples, int testSamples,
        String backend, int threads, int checkpointEvery, GridType gridType, int layers) {

    public static final int IMAGE_SIZE = 28 * 28;
    public static final int CLASSES = 10;

    /** The limits, in one place. */
    public static final int MAX_HEIGHT = 4096;
    public static final int MAX_WIDTH = 4096;
    public static final int MAX_KERNEL = 63;
    public static final int MAX_BATCH = 8192;
    public static final int MAX_EPOCHS = 10_000;
    public static final int MAX_SAMPLES = 1_000_000;
    public static final int MAX_THREADS = 256;
    public static final double MAX_LR = 10.0;
    public static final double MAX_GAIN = 100.0;
    public static final int MAX_LAYERS = 1024;
    /** A 3D grid's sheets are the images: 28 x 28. */
    public static final int SHEET = 28;

    public static RunConfig defaults() {
        return new RunConfig(64, 64, 3, Activation.SIN, Math.sqrt(2), 256, 1e-4, 100, 0.1, 300, 42,
                DatasetKind.FASHION_MNIST, 60_000, 10_000, "auto", 0, 10, GridType.TWO_D, 64);
    }

    public RunConfig {
        backend = backend == null ? "auto" : backend.trim().toLowerCase(Locale.ROOT);
        gridType = gridType == null ? GridType.TWO_D : gridType;
    }

    /** A 2D grid configuration. */
    public RunConfig(int height, int width, int kernel, Activation activation, double gain, int batch, double lr,
                     int lrStep, double lrGamma, int epochs, long seed, DatasetKind dataset, int samples,
                     int testSamples, String backend, int threads, int checkpointEvery) {
        this(height, width, kernel, activation, gain, batch, lr, lrStep, lrGamma, epochs, seed, dataset, samples,
                testSamples, backend, threads, checkpointEvery, GridType.TWO_D, 64);
    }

    @JsonIgnore
    public boolean is3d() {
        return gridType == GridType.THREE_D;
    }

    /** Rows of one grid layer: 1 for a 2D grid (a layer is one column of H cells), 28 for a 3D grid. */
    @JsonIgnore
    public int sheetRows() {
        return is3d() ? SHEET : 1;
    }

    /** Cells in one row of a grid layer: H for a 2D grid, 28 for a 3D grid. */
    @JsonIgnore
    public int sheetCols() {
        return is3d() ? SHEET : height;
    }

    /** Cells in one grid layer. */
    @JsonIgnore
    public int cellsPerLayer() {
        return sheetRows() * sheetCols();
    }

    /** Number of grid layers: W for a 2D grid, the sheet count for a 3D grid. */
    @JsonIgnore
    public int depth() {
        return is3d() ? layers : width;
    }

    /** Every broken limit, each with its field; empty when the configuration is valid. */
    public List<FieldError> errors(long memoryBudgetBytes) {
        List<FieldError> e = new ArrayList<>();
        if (is3d()) {
            range(e, "layers", layers, 1, MAX_LAYERS);
        } else {
            range(e, "height", height, 1, MAX_HEIGHT);
            range(e, "width", width, 1, MAX_WIDTH);
        }
        int side = is3d() ? SHEET : height;
        if (kernel < 3 || kernel % 2 == 0) {
            e.add(new FieldError("kernel", "must be odd and at least 3, got " + kernel));
        } else if (kernel > MAX_KERNEL) {
            e.add(new FieldError("kernel", "must be at most " + MAX_KERNEL + ", got " + kernel));
        } else if (side >= 1 && kernel > 2 * side - 1) {
            e.add(new FieldError("kernel", "must be at most " + (2 * side - 1) + " for a layer of " + side
                    + " cells, got " + kernel));
        }
        if (activation == null) {
            e.add(new FieldError("activation", "must be one of " + Activation.ids()));
        }
        if (!(gain > 0 && gain <= MAX_GAIN)) {
            e.add(new FieldError("gain", "must be a number in (0, " + MAX_GAIN + "], got " + gain));
        }
        range(e, "batch", batch, 1, MAX_BATCH);
        if (!(lr > 0 && lr <= MAX_LR)) {
            e.add(new FieldError("lr", "must be a number in (0, " + MAX_LR + "], got " + lr));
        }
        range(e, "lrStep", lrStep, 1, MAX_EPOCHS);
        if (!(lrGamma > 0 && lrGamma <= 1)) {
            e.add(new FieldError("lrGamma", "must be a number in (0, 1], got " + lrGamma));
        }
        range(e, "epochs", epochs, 1, MAX_EPOCHS);
        if (dataset == null) {
            e.add(new FieldError("dataset", "must be fashion-mnist or synthetic"));
        }
        if (dataset == DatasetKind.SYNTHETIC) {
            range(e, "samples", samples, 1, MAX_SAMPLES);
            range(e, "testSamples", testSamples, 1, MAX_SAMPLES);
        }
        if (batch >= 1 && batch > trainCount()) {
            e.add(new FieldError("batch", "is larger than the " + trainCount() + " training samples"));
        }
        if (!backend.matches("auto|java|opencl(:\\d{1,3})?")) {
            e.add(new FieldError("backend", "must be auto, java or opencl[:N], got '" + backend + "'"));
        }
        range(e, "threads", threads, 0, MAX_THREADS);
        range(e, "checkpointEvery", checkpointEvery, 0, MAX_EPOCHS);
        if (e.isEmpty() && estimatedBytes() > memoryBudgetBytes) {
            e.add(new FieldError(is3d() ? "layers" : "height", String.format(Locale.ROOT,
                    "a %s grid at batch %d needs about %d MiB, more than the %d MiB available",
                    gridText(), batch, estimatedBytes() >> 20, memoryBudgetBytes >> 20)));
        }
        return e;
    }

    /** This configuration, or an {@link InvalidConfigException} naming every broken limit. */
    public RunConfig validated(long memoryBudgetBytes) {
        List<FieldError> e = errors(memoryBudgetBytes);
        if (!e.isEmpty()) {
            throw new InvalidConfigException(e);
        }
        return this;
    }

    public RunConfig validated() {
        return validated(defaultMemoryBudget());
    }

    /** Three quarters of the heap: the rest is for the server, the data and the garbage collector. */
    public static long defaultMemoryBudget() {
        return Runtime.getRuntime().maxMemory() / 4 * 3;
    }

    @JsonIgnore
    public int trainCount() {
        return dataset == DatasetKind.SYNTHETIC ? samples : 60_000;
    }

    @JsonIgnore
    public int testCount() {
        return dataset == DatasetKind.SYNTHETIC ? testSamples : 10_000;
    }

    @JsonIgnore
    public long parameterCount() {
        long cells = cellsPerLayer();
        long in = is3d() ? 0 : cells * IMAGE_SIZE + cells;
        return in + 2L * depth() * cells + CLASSES * cells + CLASSES;
    }

    /**
     * A generous estimate of the bytes a run holds: parameters with gradient and both Adam moments, a whole
     * batch's activations and derivatives (what a GPU keeps for the backward pass), the images, and the
     * activation maps (a float per cell and class; 670 MB for a 4096x4096 grid).
     */
    @JsonIgnore
    public long estimatedBytes() {
        long params = 4L * 4 * parameterCount();
        long activations = 4L * 2 * batch * (depth() + 1L) * cellsPerLayer();
        long images = (long) (trainCount() + testCount()) * (IMAGE_SIZE + 1);
        long maps = 4L * CLASSES * depth() * cellsPerLayer();
        return params + activations + images + maps;
    }

    @JsonIgnore
    public String gridText() {
        return is3d() ? SHEET + "x" + SHEET + "x" + layers : height + "x" + width;
    }

    public RunConfig withEpochs(int e) {
        return new RunConfig(height, width, kernel, activation, gain, batch, lr, lrStep, lrGamma, e, seed,
                dataset, samples, testSamples, backend, threads, checkpointEvery, gridType, layers);
    }

    public RunConfig withBackend(String b) {
        return new RunConfig(height, width, kernel, activation, gain, batch, lr, lrStep, lrGamma, epochs, seed,
                dataset, samples, testSamples, b, threads, checkpointEvery, gridType, layers);
    }

    /** The same model and recipe as a 3D grid of the given number of sheets. */
    public RunConfig as3d(int sheets) {
        return new RunConfig(height, width, kernel, activation, gain, batch, lr, lrStep, lrGamma, epochs, seed,
                dataset, samples, testSamples, backend, threads, checkpointEvery, GridType.THREE_D, sheets);
    }

    /** The learning rate of a 1-based epoch under the step schedule. */
    public double learningRate(int epoch) {
        return lr * Math.pow(lrGamma, (epoch - 1) / lrStep);
    }

    private static void range(List<FieldError> e, String field, long value, long min, long max) {
        if (value < min || value > max) {
            e.add(new FieldError(field, "must be between " + min + " and " + max + ", got " + value));
        }
    }
}
