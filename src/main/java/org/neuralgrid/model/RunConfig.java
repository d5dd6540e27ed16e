package org.neuralgrid.model;

import static org.neuralgrid.model.ConfigField.Section.COMPUTE;
import static org.neuralgrid.model.ConfigField.Section.DATA;
import static org.neuralgrid.model.ConfigField.Section.GRID;
import static org.neuralgrid.model.ConfigField.Section.OPTIMISATION;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything that defines a training run: the model, the recipe and the data. One immutable record used by the
 * CLI, the dashboard's form and the JSON API alike. Each component is described once in {@link #FIELDS} (name,
 * default, limits, unit, help, where it applies); JSON, validation, the command line's options and the form are
 * made from those descriptors, so a new option is a component and a descriptor here, plus its use in the engine.
 * The defaults are the published recipe (Fischer 2021): a 64x64 sine grid, k = 3, Adam at 1e-4 divided by 10
 * every 100 epochs, batch 256, 300 epochs.
 *
 * @param gridType        2d (height x width, the published default) or 3d (image-shaped sheets)
 * @param height          2d: grid height H, cells per layer
 * @param width           2d: grid width W, the number of grid layers
 * @param layers          3d: the number of 28x28 sheets
 * @param kernel          receptive field k (odd, >= 3)
 * @param activation      h, applied in every grid cell
 * @param gain            grid weights are uniform in +-gain*sqrt(6/(k+k)) (3d: k*k for k)
 * @param seed            seeds initialisation, shuffling and the synthetic data
 * @param batch           samples per optimizer step (the last partial batch of an epoch is dropped)
 * @param epochs          epochs to train
 * @param lr              Adam's initial learning rate
 * @param schedule        how the learning rate moves: step (the published one), cosine or onecycle
 * @param lrStep          step schedule: the learning rate is multiplied by lrGamma every lrStep epochs
 * @param lrGamma         see lrStep
 * @param warmup          epochs of linear warm-up at the start (onecycle: 0 means 30 % of the run)
 * @param weightDecay     AdamW's decoupled weight decay (0: plain Adam)
 * @param labelSmoothing  the training targets mix the label with the uniform distribution by this much
 * @param patience        stop after this many epochs without a better selection metric (0: never)
 * @param checkpointEvery a checkpoint is written every this many epochs (0: only at the end)
 * @param dataset         fashion-mnist or synthetic
 * @param samples         training samples of the synthetic set (Fashion-MNIST always has 60,000)
 * @param testSamples     test samples of the synthetic set (Fashion-MNIST always has 10,000)
 * @param validation      training images held out as a validation set that chooses the best epoch (0: none)
 * @param augment         random flips and crops of the training images, made anew every epoch
 * @param normalization   how pixels become inputs
 * @param mapSamples      the activation maps average the first this many test images of each class
 * @param backend         auto, java, or opencl[:N]
 * @param threads         CPU threads for the Java backend (0: all cores)
 */
public record RunConfig(
        GridType gridType, int height, int width, int layers, int kernel, Activation activation, double gain,
        long seed, int batch, int epochs, double lr, Schedule schedule, int lrStep, double lrGamma, int warmup,
        double weightDecay, double labelSmoothing, int patience, int checkpointEvery, DatasetKind dataset,
        int samples, int testSamples, int validation, Augment augment, Normalization normalization, int mapSamples,
        BackendSpec backend, int threads) {

    public static final int IMAGE_SIZE = 28 * 28;
    public static final int CLASSES = 10;
    /** A 3D grid's sheets are the images: 28 x 28. */
    public static final int SHEET = 28;

    public static final int MAX_HEIGHT = 4096;
    public static final int MAX_WIDTH = 4096;
    public static final int MAX_LAYERS = 1024;
    public static final int MAX_KERNEL = 63;
    public static final int MAX_BATCH = 8192;
    public static final int MAX_EPOCHS = 10_000;
    public static final int MAX_SAMPLES = 1_000_000;
    public static final int MAX_THREADS = 256;
    public static final double MAX_LR = 10.0;
    public static final double MAX_GAIN = 100.0;
    public static final int MAX_VALIDATION = 50_000;

    /** Every field, in the order of the form and of the JSON. */
    public static final List<ConfigField> FIELDS = List.of(
            ConfigField.choice("gridType", "Grid type", GridType.TWO_D)
                    .help("2D: the published grid; 3D: image-shaped sheets.").build(),
            ConfigField.integer("height", "Height H", 64, 1, MAX_HEIGHT).unit("cells").onlyWhen("gridType", "2d")
                    .help("Cells per layer.").build(),
            ConfigField.integer("width", "Width W", 64, 1, MAX_WIDTH).unit("layers").onlyWhen("gridType", "2d")
                    .help("Grid layers (columns).").build(),
            ConfigField.integer("layers", "Layers L", 64, 1, MAX_LAYERS).unit("sheets of 28×28")
                    .onlyWhen("gridType", "3d").help("Number of 28×28 sheets (grid layers).").build(),
            ConfigField.integer("kernel", "Kernel k", 3, 3, MAX_KERNEL).odd()
                    .help("Window over the previous layer; at most 2H−1.")
                    .helpWhen("gridType", "3d", "k×k window over the previous sheet; at most 55.").build(),
            ConfigField.choice("activation", "Activation", Activation.SIN)
                    .help("Applied in every cell; sine lets deep grids train.").build(),
            ConfigField.number("gain", "Init gain", 1, 0, MAX_GAIN).aboveMin()
                    .help("Grid weights uniform in ±gain·√(6/2k) (the 2021 code: 1).")
                    .helpWhen("gridType", "3d", "Grid weights uniform in ±gain·√(6/2k²).").build(),
            ConfigField.anyInteger("seed", "Seed", 42)
                    .help("Seeds initialisation, shuffling and synthetic data.").build(),
            ConfigField.integer("batch", "Batch", 256, 1, MAX_BATCH).in(OPTIMISATION).unit("samples")
                    .help("Samples per step; the last partial batch is dropped.").build(),
            ConfigField.integer("epochs", "Epochs", 300, 1, MAX_EPOCHS).in(OPTIMISATION)
                    .help("Passes over the training set.").build(),
            ConfigField.number("lr", "Learning rate", 1e-4, 0, MAX_LR).aboveMin().logScale().in(OPTIMISATION)
                    .help("Adam's initial rate, e.g. 1e-4.").build(),
            ConfigField.choice("schedule", "LR schedule", Schedule.STEP).in(OPTIMISATION)
                    .help("How the learning rate moves over the run.").build(),
            ConfigField.integer("lrStep", "LR step every", 100, 1, MAX_EPOCHS).in(OPTIMISATION).unit("epochs")
                    .onlyWhen("schedule", "step").help("Epochs between learning-rate steps.").build(),
            ConfigField.number("lrGamma", "LR step factor γ", 0.1, 0, 1).aboveMin().in(OPTIMISATION)
                    .onlyWhen("schedule", "step").help("The rate is multiplied by γ at each step.").build(),
            ConfigField.integer("warmup", "Warm-up", 0, 0, MAX_EPOCHS - 1).in(OPTIMISATION).unit("epochs")
                    .help("Epochs over which the rate climbs linearly at the start.").build(),
            ConfigField.number("weightDecay", "Weight decay", 0, 0, 1).logScale().in(OPTIMISATION)
                    .zeroMeans("plain Adam").help("AdamW's decoupled decay: every step shrinks each parameter by"
                            + " lr × this.").build(),
            ConfigField.number("labelSmoothing", "Label smoothing", 0, 0, 0.5).in(OPTIMISATION)
                    .help("The training target is (1 − ε) the label + ε spread over all classes; test and"
                            + " validation losses stay plain cross-entropy.").build(),
            ConfigField.integer("patience", "Patience", 0, 0, MAX_EPOCHS).in(OPTIMISATION).unit("epochs")
                    .zeroMeans("never stop early").help("Stop after this many epochs without a better best epoch;"
                            + " the best weights are kept.").build(),
            ConfigField.integer("checkpointEvery", "Checkpoint every", 10, 0, MAX_EPOCHS).in(OPTIMISATION)
                    .unit("epochs").zeroMeans("only at the end").help("Epochs between checkpoints.").build(),
            ConfigField.choice("dataset", "Dataset", DatasetKind.FASHION_MNIST).in(DATA)
                    .help("Where the images come from.").build(),
            ConfigField.integer("samples", "Training samples", 60_000, 1, MAX_SAMPLES).in(DATA).unit("images")
                    .onlyWhen("dataset", "synthetic").help("Synthetic training images.").build(),
            ConfigField.integer("testSamples", "Test samples", 10_000, 1, MAX_SAMPLES).in(DATA).unit("images")
                    .onlyWhen("dataset", "synthetic").help("Synthetic test images.").build(),
            ConfigField.integer("validation", "Validation images", 0, 0, MAX_VALIDATION).in(DATA).unit("images")
                    .zeroMeans("choose the best epoch on the test set, as the 2021 write-up did")
                    .help("Training images held out (seeded, the same share of each class) to choose the best"
                            + " epoch on.").build(),
            ConfigField.choice("augment", "Augmentation", Augment.NONE).in(DATA)
                    .help("Random flips and crops of the training images, new every epoch.").build(),
            ConfigField.choice("normalization", "Normalisation", Normalization.FASHION_MNIST).in(DATA)
                    .help("How pixels become inputs: (pixel/255 − mean) / std.").build(),
            ConfigField.integer("mapSamples", "Map samples", 64, 1, 1000).in(DATA).unit("images per class")
                    .help("The activation maps average the first this many test images of each class (published:"
                            + " 64).").build(),
            ConfigField.backend("backend", "Backend", BackendSpec.AUTO).in(COMPUTE)
                    .help("auto: an OpenCL GPU when one works, else Java; opencl:N names a device.").build(),
            ConfigField.integer("threads", "CPU threads", 0, 0, MAX_THREADS).in(COMPUTE).unit("threads")
                    .zeroMeans("all cores").help("For the Java backend.").build());

    private static final Map<String, ConfigField> BY_NAME = byName();
    private static final RecordComponent[] COMPONENTS = RunConfig.class.getRecordComponents();
    private static final Constructor<RunConfig> CANONICAL = canonical();

    public RunConfig {
        backend = backend == null ? BackendSpec.AUTO : backend;
        gridType = gridType == null ? GridType.TWO_D : gridType;
    }

    /** The published recipe: every field at its descriptor's default. */
    public static RunConfig defaults() {
        Map<String, Object> values = new LinkedHashMap<>();
        FIELDS.forEach(f -> values.put(f.name(), f.defaultValue()));
        return of(values);
    }

    /** The descriptor of a field, if there is one of that name. */
    public static Optional<ConfigField> field(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** A configuration from every field's value, typed as {@link ConfigField#read} gives them. */
    public static RunConfig of(Map<String, Object> values) {
        Object[] args = new Object[COMPONENTS.length];
        for (int i = 0; i < args.length; i++) {
            RecordComponent c = COMPONENTS[i];
            Object v = values.get(c.getName());
            if (v == null) {
                throw new IllegalArgumentException("no value for " + c.getName());
            }
            args[i] = c.getType() == int.class ? Integer.valueOf(Math.toIntExact(((Number) v).longValue()))
                    : c.getType() == long.class ? Long.valueOf(((Number) v).longValue())
                    : c.getType() == double.class ? Double.valueOf(((Number) v).doubleValue()) : v;
        }
        try {
            return CANONICAL.newInstance(args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every field's value, by name, in the order of {@link #FIELDS}. */
    public Map<String, Object> values() {
        Map<String, Object> values = new LinkedHashMap<>();
        FIELDS.forEach(f -> values.put(f.name(), get(f.name())));
        return values;
    }

    /** A field's value: an Integer, Long, Double, Choice constant or BackendSpec. */
    public Object get(String name) {
        for (RecordComponent c : COMPONENTS) {
            if (c.getName().equals(name)) {
                try {
                    return c.getAccessor().invoke(this);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalArgumentException("no configuration field " + name);
    }

    /** Whether a field means anything for this configuration (a 2D grid's height, a synthetic set's size). */
    public boolean applies(ConfigField field) {
        return field.appliesWhen().stream()
                .allMatch(c -> BY_NAME.get(c.field()).text(get(c.field())).equals(c.value()));
    }

    /** This configuration with some fields changed. */
    public RunConfig with(Map<String, Object> changes) {
        Map<String, Object> values = values();
        changes.forEach((name, v) -> {
            if (!BY_NAME.containsKey(name)) {
                throw new IllegalArgumentException("no configuration field " + name);
            }
            values.put(name, v);
        });
        return of(values);
    }

    public RunConfig with(String name, Object value) {
        return with(Map.of(name, value));
    }

    public RunConfig withEpochs(int e) {
        return with("epochs", e);
    }

    public RunConfig withBackend(BackendSpec b) {
        return with("backend", b);
    }

    /** The same model and recipe as a 3D grid of the given number of sheets. */
    public RunConfig as3d(int sheets) {
        return with(Map.of("gridType", GridType.THREE_D, "layers", sheets));
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

    /**
     * Every broken limit, each with its field; empty when the configuration is valid. Each field is checked
     * against its descriptor where it applies, then the rules that tie fields together.
     */
    public List<FieldError> errors(long memoryBudgetBytes) {
        List<FieldError> e = new ArrayList<>();
        for (ConfigField f : FIELDS) {
            if (applies(f)) {
                f.check(get(f.name()), e);
            }
        }
        int side = is3d() ? SHEET : height;
        boolean kernelChecked = e.stream().noneMatch(x -> x.field().equals("kernel"));
        if (kernelChecked && side >= 1 && kernel > 2 * side - 1) {
            e.add(new FieldError("kernel", "must be at most " + (2 * side - 1) + " for a layer of " + side
                    + " cells, got " + kernel));
        }
        if (batch >= 1 && batch > trainCount()) {
            e.add(new FieldError("batch", "is larger than the " + trainCount() + " training samples"));
        } else if (validation > 0 && batch >= 1 && validation > trainCount() - batch) {
            e.add(new FieldError("validation", "leaves fewer than a batch (" + batch + ") of the " + trainCount()
                    + " training images to train on"));
        }
        if (warmup >= epochs && warmup > 0) {
            e.add(new FieldError("warmup", "must be shorter than the " + epochs + " epochs, got " + warmup));
        }
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
     * activation maps (mean and standard deviation: two floats per cell and class; 1.3 GB for a 4096x4096 grid).
     */
    @JsonIgnore
    public long estimatedBytes() {
        long params = 4L * 4 * parameterCount();
        long activations = 4L * 2 * batch * (depth() + 1L) * cellsPerLayer();
        long images = (long) (trainCount() + testCount()) * (IMAGE_SIZE + 1);
        long maps = 2 * 4L * CLASSES * depth() * cellsPerLayer();
        return params + activations + images + maps;
    }

    @JsonIgnore
    public String gridText() {
        return is3d() ? SHEET + "x" + SHEET + "x" + layers : height + "x" + width;
    }


    private static Map<String, ConfigField> byName() {
        Map<String, ConfigField> map = new LinkedHashMap<>();
        FIELDS.forEach(f -> map.put(f.name(), f));
        return map;
    }

    /** The canonical constructor; every component must have a descriptor and every descriptor a component. */
    private static Constructor<RunConfig> canonical() {
        RecordComponent[] components = RunConfig.class.getRecordComponents();
        List<String> names = Arrays.stream(components).map(RecordComponent::getName).sorted().toList();
        List<String> described = FIELDS.stream().map(ConfigField::name).sorted().toList();
        if (!names.equals(described)) {
            throw new IllegalStateException("RunConfig's components " + names + " and FIELDS " + described
                    + " must name the same fields");
        }
        try {
            return RunConfig.class.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}
