package org.neuralgrid.bus;

/**
 * The event-bus protocol between the web side and the training side: every address and message shape, in one
 * place. Bodies are Vert.x JsonObjects (Jackson underneath) except where a Buffer is named. Because nothing else
 * crosses, the training side can later run on other machines with a clustered event bus. The nodes of such a
 * cluster talk over {@link NodeBus}.
 *
 * <h2>Requests (request/reply to the training side)</h2>
 * Failures reply with {@code ReplyException} codes: 400 bad input (message: a JSON object
 * {@code {"errors":[{"field":..,"message":..}]}} for configurations, plain text otherwise), 404 unknown run or
 * epoch, 409 not possible in the run's state, 500 anything else.
 * <ul>
 * <li>{@link #START} {@code {"name": "optional", "config": {RunConfig fields, any subset}}} →
 *     {@code {"id": "..."}} (the run is stored as queued at once)</li>
 * <li>{@link #LIST} {@code {}} → {@code {"runs": [summary, ...]}} newest first</li>
 * <li>{@link #GET} {@code {"id"}} → summary plus {@code "config": {...}} and {@code "sharedWith": [ids of the runs
 *     training on the same device right now]}</li>
 * <li>{@link #METRICS} {@code {"id"}} → {@code {"id", "bestEpoch", "selectedBy", "epochs": [epoch metrics with
 *     "best", ...]}}</li>
 * <li>{@link #METRICS_CSV} {@code {"id"}} → String: the same epochs as CSV (the CLI's metrics.csv columns)</li>
 * <li>{@link #CANCEL} {@code {"id"}} → summary (queued or running runs become cancelled; 409 otherwise)</li>
 * <li>{@link #RESUME} {@code {"id"}} → summary (interrupted, cancelled or failed runs with a checkpoint are
 *     queued again, from their checkpoint; 409 otherwise)</li>
 * <li>{@link #DELETE} {@code {"id"}} → {@code {}} (a running or queued run is cancelled first; its files go)</li>
 * <li>{@link #HEATMAP} {@code {"id", "epoch", "kind"?: "mean" | "std" | "contrast" | "weights" | "biases"}} →
 *     Buffer: the {@link org.neuralgrid.io.HeatmapFrame} of that epoch's maps of that
 *     {@link org.neuralgrid.io.MapKind} (default mean); 400 for another kind (the message names the kinds), 404 for
 *     an epoch or a kind the run has no frame of (runs of earlier versions have only mean)</li>
 * <li>{@link #WEIGHTS} {@code {"id", "which"?: "final" | "best"}} → Buffer: the final weights (weights.safetensors)
 *     or those of the best epoch (best.safetensors); 404 when none yet</li>
 * <li>{@link #DEVICES} {@code {}} → {@code {"devices": [{"backend","name","available","note"}]}}</li>
 * <li>{@link #DATASETS} {@code {}} → {@code {"fashionMnist": {"present", "fetching", "message", "fraction"}}}</li>
 * <li>{@link #PROBE} {@code {"id", "pixels": [784 brightnesses 0..1, row by row] | "testIndex": n, "class"?: 0..9
 *     (the class whose saliency is traced; default: the predicted one), "which"?: "live" | "final" | "best"
 *     (default: live while the run trains, else final, else best)}} → {@code {"which", "epoch", "batch" (where
 *     live parameters were taken), "testIndex", "label" (null for a given image), "predicted", "class",
 *     "probabilities": [10], "logits": [10], "pixels": [784], "grid": {"sheets", "layers", "rows", "cols"},
 *     "activations": [cells], "cellSaliency": [cells], "pixelSaliency": [784]}} (cells in the layout of the
 *     heatmap frames' maps); 409 for live parameters of a run that does not train or weights not yet saved</li>
 * <li>{@link #TEST_IMAGES} {@code {"id", "class"?: 0..9, "from"?: 0.., "count"?: 1..100}} → {@code {"total",
 *     "samples": [{"index", "label", "pixels": [784 bytes 0..255]}]}}: the run's test images (of one class)</li>
 * <li>{@link #CHECK} a START body → {@code {"errors": [{"field", "message"}], "grid", "parameters",
 *     "estimatedBytes"}} (the last three only when the sizes can be read): what START would say, without
 *     starting anything; the form's estimate as the user types</li>
 * </ul>
 *
 * <h2>Sweeps (request/reply to the training side)</h2>
 * A sweep is a named group of runs made from one {@link org.neuralgrid.model.SweepSpec}; its runs are ordinary runs
 * (every run request above works on them) whose summary names the sweep and the point. Sweep ids have the run-id
 * form ({@link RunId}).
 * <ul>
 * <li>{@link #SWEEP_START} a sweep ({@link org.neuralgrid.model.SweepSpecJson}: {@code {"name"?, "base": {fields},
 *     "sweep": {"kernel": [3, 5], "lr": "1e-4..1e-2"}, "seeds"?, "mode"?: "grid" | "random", "points"?}}) →
 *     {@code {"id", "runs"}}: every run stored as queued at once; a sweep with any invalid point is refused whole
 *     (400, {@code {"errors": [{"field", "message"}]}}, each message naming its points)</li>
 * <li>{@link #SWEEP_CHECK} a SWEEP_START body → {@code {"errors": [...], "fields": [swept field names],
 *     "points", "runs", "estimatedSeconds" (null when no run on this server has finished an epoch on the backend
 *     the sweep asks for)}}: what SWEEP_START would say, and how long the runs would take one after another</li>
 * <li>{@link #SWEEP_LIST} {@code {}} → {@code {"sweeps": [sweep summary, ...]}} newest first</li>
 * <li>{@link #SWEEP_GET} {@code {"id"}} → sweep summary plus {@code "spec"} (the SWEEP_START body as stored),
 *     {@code "runs": [run summary plus "seed", "finalTestAccuracy" (the last epoch's, null before the first),
 *     "seconds" (training time so far), "sharing" (how many other runs train on the same device right now)]}, in
 *     the sweep's order, and {@code "points": [{"label", "point": {field: value}, "runs": [run ids], "finished"
 *     (completed runs), "bestTestMean", "bestTestStd" (over the runs that have a best epoch), "finalTestMean",
 *     "finalTestStd" (over the completed runs), "secondsMean"}]} (means and deviations 0..1 or null; the
 *     deviation is the sample standard deviation, null for fewer than two runs)</li>
 * <li>{@link #SWEEP_CANCEL} {@code {"id"}} → sweep summary (its queued and running runs become cancelled)</li>
 * <li>{@link #SWEEP_RESUME} {@code {"id"}} → sweep summary (its interrupted, cancelled and failed runs are
 *     queued again: from their checkpoint where they have one, from the start otherwise; 409 when none can)</li>
 * <li>{@link #SWEEP_DELETE} {@code {"id"}} → {@code {}}: every run of the sweep deleted (running ones cancelled
 *     first, as DELETE does), then the sweep</li>
 * <li>{@link #SWEEP_EXPORT} {@code {"id", "format": "json" | "csv"}} → String: the whole sweep in one file; JSON
 *     {@code {"sweep": summary + "spec", "runs": [summary + "config" + "epochs": [epoch metrics]]}}, CSV one row
 *     per run and epoch: {@code sweep,run,name,status}, every configuration field (seed among them), then the epoch
 *     metrics' columns (a run without epochs has one row with them empty)</li>
 * </ul>
 * sweep summary: {@code {"id", "name", "status" (running if any run trains, else queued if any waits, else
 * interrupted, failed or cancelled if any run is, else completed), "fields": [swept field names], "seeds",
 * "mode", "runs" (how many), "counts": {status: runs}, "progress" (0..1 over all its runs' epochs),
 * "created"}}.
 *
 * <h2>Events (publish)</h2>
 * <ul>
 * <li>{@link #events(String)} JsonObject with {@code "type"}:
 *   <ul><li>{@code "status"}: the summary (status changed: queued, running, completed, failed, cancelled,
 *   interrupted; failed carries {@code "message"})</li>
 *   <li>{@code "progress"}: {@code epoch, epochs, batch, batches, loss, accuracy, elapsed, eta} (at most about
 *   five a second)</li>
 *   <li>{@code "epoch"}: the epoch metrics</li></ul></li>
 * <li>{@link #heatmaps(String)} Buffer: a {@link org.neuralgrid.io.HeatmapFrame}, one of each
 *     {@link org.neuralgrid.io.MapKind} (mean, std, contrast, weights, biases, in that order) at epoch 0 before
 *     training and then after every epoch; the frame says its kind (byte 48)</li>
 * <li>{@link #CHANGED} the summary of any run whose status, epoch or best accuracy changed</li>
 * <li>{@link #DATASET_PROGRESS} {@code {"message", "fraction"}} while Fashion-MNIST is being fetched</li>
 * </ul>
 *
 * <h2>Shapes</h2>
 * summary: {@code {"id", "name", "status", "epoch", "epochs", "progress" (0..1 over the whole run),
 * "bestEpoch" (or null), "bestTestAccuracy" (the best epoch's, 0..1 or null), "selectedBy" ("validation" or
 * "test": what chose the best epoch), "weights": {"final", "best"} (booleans: which files exist), "grid" ("HxW"),
 * "backend", "device", "created", "started", "finished" (ISO-8601 or null), "message" (or null), "sweep" (the sweep's id, or null), "point" ({field: value}
 * of its sweep point, or null), "node" ({@code {"id", "host"}}: the cluster node the run was handed to, or null for a
 * run of the dashboard's own process)}}.<br>
 * epoch metrics: {@code {"epoch", "trainLoss", "trainAccuracy", "validationLoss", "validationAccuracy" (null
 * without a validation set), "testLoss", "testAccuracy", "learningRate", "seconds", "samplesPerSecond"}}.
 */
public final class RunBus {
    private static final String PREFIX = "neuralgrid.";

    public static final String START = PREFIX + "runs.start";
    public static final String LIST = PREFIX + "runs.list";
    public static final String GET = PREFIX + "runs.get";
    public static final String METRICS = PREFIX + "runs.metrics";
    public static final String METRICS_CSV = PREFIX + "runs.metrics.csv";
    public static final String CANCEL = PREFIX + "runs.cancel";
    public static final String RESUME = PREFIX + "runs.resume";
    public static final String DELETE = PREFIX + "runs.delete";
    public static final String HEATMAP = PREFIX + "runs.heatmap";
    public static final String WEIGHTS = PREFIX + "runs.weights";
    public static final String DEVICES = PREFIX + "devices";
    public static final String DATASETS = PREFIX + "datasets";
    public static final String CHECK = PREFIX + "config.check";
    public static final String PROBE = PREFIX + "runs.probe";
    public static final String TEST_IMAGES = PREFIX + "runs.test-images";

    public static final String SWEEP_START = PREFIX + "sweeps.start";
    public static final String SWEEP_CHECK = PREFIX + "sweeps.check";
    public static final String SWEEP_LIST = PREFIX + "sweeps.list";
    public static final String SWEEP_GET = PREFIX + "sweeps.get";
    public static final String SWEEP_CANCEL = PREFIX + "sweeps.cancel";
    public static final String SWEEP_RESUME = PREFIX + "sweeps.resume";
    public static final String SWEEP_EXPORT = PREFIX + "sweeps.export";
    public static final String SWEEP_DELETE = PREFIX + "sweeps.delete";

    public static final String CHANGED = PREFIX + "runs.changed";
    public static final String DATASET_PROGRESS = PREFIX + "datasets.progress";

    public static final int BAD_REQUEST = 400;
    public static final int NOT_FOUND = 404;
    public static final int CONFLICT = 409;
    public static final int FAILED = 500;

    private RunBus() {
    }

    /** A run's events; the id must be valid ({@link RunId#isValid}). */
    public static String events(String runId) {
        return PREFIX + "run." + runId;
    }

    public static String heatmaps(String runId) {
        return PREFIX + "run." + runId + ".heatmap";
    }
}
