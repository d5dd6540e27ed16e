package org.neuralgrid.engine.opencl;

import java.util.Arrays;
import java.util.function.Supplier;
import org.jocl.CLException;
import org.jocl.Sizeof;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.engine.ActivationMaps;
import org.neuralgrid.engine.Backend;
import org.neuralgrid.engine.ClassMaps;
import org.neuralgrid.engine.EvalSet;
import org.neuralgrid.engine.Evaluation;
import org.neuralgrid.io.MapKind;
import org.neuralgrid.engine.OptimizerState;
import org.neuralgrid.engine.TrainMetrics;
import org.neuralgrid.model.ModelLayout;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;

/**
 * The NeuralGrid, 2D or 3D, on an OpenCL device (see {@link StepPlan} for the kernels of a step,
 * {@link GridGeometry} for how they are cut). Data, parameters, gradient, Adam's moments and the loss sums stay
 * on the device: a training step sends nothing (the epoch's sample order went over in {@link #beginEpoch}) and
 * reads nothing; the host reads the loss sums only in {@link #trainMetrics()} and {@link #evaluate()}.
 *
 * <p>Same function as the Java backend, the same initial parameters ({@link ModelLayout#initial}), and every sum
 * over samples in a fixed order, so a seed gives the same numbers on every run. OpenCL failures surface as
 * {@link OpenClException}s naming the CL error; {@link #close()} releases everything, also after a failure.
 */
public final class OpenClBackend implements Backend {
    /** Samples per evaluation launch at least (forward only: no per-layer storage). */
    private static final int EVAL_ROWS = 256;
    /** Training steps the host may queue ahead of the device. */
    private static final int STEPS_AHEAD = 3;

    private final RunConfig config;
    private final float smoothing;
    private final float weightDecay;
    private final OpenClDevice device;
    private final FlatLayout layout;
    private ClContext cl;
    private ClProgram program;
    private ModelBuffers model;
    private GridGeometry geometry;
    private StepPlan plan;
    private Workspace workspace;
    private StepPacer pacer;
    private DatasetBuffers train;
    private DatasetBuffers validation;
    private DatasetBuffers test;
    private ClBuffer trainOrder;       // (count) int: the current epoch's sample order
    private MetricSlots epochMetrics;   // one slot per training step
    private MetricSlots evalMetrics;    // one slot per evaluation chunk
    private long adamStep;
    private int orderLength;
    private long epochSamples;
    private boolean closed;

    public OpenClBackend(RunConfig config, OpenClDevice device) {
        this(config, device, Tuning.fromSystemProperties());
    }

    /** With kernel variants chosen by the caller rather than by the device (tests). */
    OpenClBackend(RunConfig config, OpenClDevice device, Tuning tuning) {
        this(config, device, tuning, null, "CPU".equals(device.type()), ClBuffer.guardRequested());
    }

    /**
     * Tests: the kernels cut ({@link GridGeometry}) as for another device, one with the limits {@code cutFor} (a
     * GPU's when {@code cutForCpu} is false), yet run on this one, which must allow those work-groups (PoCL allows
     * up to 4096 work-items); buffers get guards after their ends when {@code guard} (see {@link ClBuffer}).
     *
     * @param cutFor the limits to cut the kernels for; null: this device's own
     */
    OpenClBackend(RunConfig config, OpenClDevice device, Tuning tuning, DeviceLimits cutFor, boolean cutForCpu,
                  boolean guard) {
        this.config = config;
        this.smoothing = (float) config.labelSmoothing();
        this.weightDecay = (float) config.weightDecay();
        this.device = device;
        this.layout = new FlatLayout(config);
        try {
            cl = ClContext.open(device, guard);
            geometry = GridGeometry.of(config, cutFor != null ? cutFor : cl.limits(), cutForCpu, layout, tuning);
            program = ClProgram.fromResources(cl, StepPlan.SOURCES, geometry.buildOptions());
            model = new ModelBuffers(cl, layout, config);
            plan = new StepPlan(program, geometry, model);
            workspace = new Workspace(cl, geometry, config.batch(), Math.max(config.batch(), EVAL_ROWS));
            pacer = new StepPacer(cl, STEPS_AHEAD);
            model.params.write(layout.flatten(ModelLayout.initial(config)));
            writeOptimizerState(OptimizerState.fresh(ModelLayout.zeros(config)));
            cl.finish();
        } catch (CLException e) {
            closeQuietly(e);
            throw OpenClException.wrap("setting up the OpenCL backend on " + device, e);
        } catch (RuntimeException | Error e) {
            closeQuietly(e);
            throw e;
        }
    }

    private void closeQuietly(Throwable cause) {
        try {
            close();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public String device() {
        return "OpenCL " + device.name() + " (" + device.note() + ")";
    }

    /** The kernels' build options: how they were cut for this model and device. */
    @Override
    public String tuning() {
        return geometry.buildOptions();
    }

    @Override
    public void upload(DataSplit data) {
        run("uploading the data", () -> {
            Releaser.closeAll(evalMetrics, epochMetrics, trainOrder, test, validation, train);
            evalMetrics = null;
            epochMetrics = null;
            trainOrder = null;
            test = null;
            validation = null;
            train = null;
            train = new DatasetBuffers(cl, data.train());
            validation = new DatasetBuffers(cl, data.validation());
            test = new DatasetBuffers(cl, data.test());
            trainOrder = cl.buffer("epoch order", (long) Math.max(1, train.count) * Sizeof.cl_int);
            epochMetrics = new MetricSlots(cl, "epoch", train.count / config.batch());
            evalMetrics = new MetricSlots(cl, "evaluation",
                    chunks(Math.max(test.count, validation.count), workspace.rowCapacity));
        });
    }

    @Override
    public void setTrainImages(Dataset images) {
        requireData();
        if (images.count() != train.count || images.imageSize() != RunConfig.IMAGE_SIZE) {
            throw new IllegalArgumentException("training images of " + images.count() + " samples replace "
                    + train.count);
        }
        run("uploading the epoch's training images", () -> train.pixels.write(images.pixels()));
    }

    @Override
    public void setParameters(Parameters parameters) {
        float[] flat = layout.flatten(parameters);
        run("writing the parameters", () -> model.params.write(flat));
    }

    @Override
    public Parameters parameters() {
        return call("reading the parameters", () -> layout.unflatten(read(model.params)));
    }

    @Override
    public void setOptimizerState(OptimizerState state) {
        float[] m = layout.flatten(state.firstMoment());
        float[] v = layout.flatten(state.secondMoment());
        run("writing the optimizer state", () -> {
            model.m.write(m);
            model.v.write(v);
        });
        adamStep = state.step();
    }

    private void writeOptimizerState(OptimizerState state) {
        model.m.write(layout.flatten(state.firstMoment()));
        model.v.write(layout.flatten(state.secondMoment()));
        adamStep = state.step();
    }

    @Override
    public OptimizerState optimizerState() {
        return call("reading the optimizer state", () -> new OptimizerState(adamStep,
                layout.unflatten(read(model.m)), layout.unflatten(read(model.v))));
    }

    @Override
    public void beginEpoch(int[] order) {
        requireData();
        run("uploading the epoch order", () -> {
            if (order.length > trainOrder.bytes() / Sizeof.cl_int) {
                trainOrder.close();
                trainOrder = null;
                trainOrder = cl.buffer("epoch order", (long) order.length * Sizeof.cl_int);
            }
            trainOrder.write(order);
        });
        orderLength = order.length;
        epochMetrics.reset();
        epochSamples = 0;
    }

    @Override
    public void trainStep(int batch, float learningRate) {
        requireData();
        int n = config.batch();
        int offset = batch * n;
        if (batch < 0 || offset + n > orderLength) {
            throw new IllegalArgumentException("batch " + batch + " of " + n + " samples is outside the epoch's "
                    + orderLength + " samples");
        }
        run("a training step", () -> {
            Workspace ws = workspace;
            plan.forward(ws, train, trainOrder, offset, n, true);
            plan.loss(ws, train, trainOrder, offset, n, 1f / n, smoothing);
            plan.metrics(ws, n, epochMetrics, epochMetrics.next());
            plan.backward(ws, train, trainOrder, offset, n);
            long step = adamStep + 1;
            float bc1 = (float) (1 - Math.pow(OptimizerState.BETA1, step));
            float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(OptimizerState.BETA2, step));
            plan.adam(learningRate / bc1, bc2Sqrt, 1 - learningRate * weightDecay);
            adamStep = step;
            pacer.stepQueued();
        });
        epochSamples += n;
    }

    @Override
    public TrainMetrics trainMetrics() {
        requireData();
        MetricSlots.Sums s = call("reading the training loss", epochMetrics::read);
        return new TrainMetrics(s.loss(), s.correct(), epochSamples);
    }

    @Override
    public Evaluation evaluate(EvalSet set) {
        requireData();
        DatasetBuffers ds = set == EvalSet.VALIDATION ? validation : test;
        if (ds.count == 0) {
            return new Evaluation(Double.NaN, Double.NaN, 0);
        }
        return call("evaluating", () -> {
            int rows = workspace.rowCapacity;
            evalMetrics.reset();
            for (int from = 0; from < ds.count; from += rows) {
                int n = Math.min(rows, ds.count - from);
                plan.forward(workspace, ds, ds.identity, from, n, false);
                plan.loss(workspace, ds, ds.identity, from, n, 0f, 0f);
                plan.metrics(workspace, n, evalMetrics, evalMetrics.next());
            }
            MetricSlots.Sums s = evalMetrics.read();
            return new Evaluation(s.loss() / ds.count, (double) s.correct() / ds.count, ds.count);
        });
    }

    @Override
    public ClassMaps activationMaps(int epoch, int[][] samplesPerClass) {
        requireData();
        int cells = config.cellsPerLayer(), depth = config.depth();
        return call("computing the activation maps", () -> {
            model.maps.zero();
            model.squaredDeviations.zero();
            int[] counts = new int[samplesPerClass.length];
            int chunk = Math.min(workspace.trainCapacity, workspace.rowCapacity);
            for (int cls = 0; cls < samplesPerClass.length; cls++) {
                int[] picked = Arrays.stream(samplesPerClass[cls]).filter(s -> s >= 0).toArray();
                counts[cls] = picked.length;
                for (int from = 0; from < picked.length; from += chunk) {
                    int n = Math.min(chunk, picked.length - from);
                    workspace.indices.write(Arrays.copyOfRange(picked, from, from + n));
                    plan.forward(workspace, test, workspace.indices, 0, n, true);
                    plan.classMap(workspace, n, from, cls);
                }
            }
            int perClass = cells * depth;
            float[] values = new float[RunConfig.CLASSES * perClass];
            float[] std = new float[RunConfig.CLASSES * perClass];
            model.maps.read(values);
            model.squaredDeviations.read(std);
            for (int cls = 0; cls < counts.length; cls++) {
                for (int i = cls * perClass; counts[cls] > 0 && i < (cls + 1) * perClass; i++) {
                    values[i] /= counts[cls];
                    std[i] = (float) Math.sqrt(std[i] / counts[cls]);
                }
            }
            ActivationMaps mean = config.is3d()
                    ? new ActivationMaps(epoch, RunConfig.CLASSES, true, depth, config.sheetRows(),
                            config.sheetCols(), values)
                    : new ActivationMaps(epoch, RunConfig.CLASSES, cells, depth, values);
            return new ClassMaps(mean, mean.as(MapKind.STD, RunConfig.CLASSES, std));
        });
    }

    @Override
    public Parameters gradients(int[] samples) {
        requireData();
        if (samples.length == 0) {
            throw new IllegalArgumentException("gradients of no samples");
        }
        return call("computing gradients", () -> {
            int n = samples.length;
            if (n > workspace.trainCapacity || n > workspace.rowCapacity) {
                growWorkspace(n);
            }
            workspace.indices.write(samples);
            plan.forward(workspace, train, workspace.indices, 0, n, true);
            plan.loss(workspace, train, workspace.indices, 0, n, 1f / n, smoothing);
            plan.backward(workspace, train, workspace.indices, 0, n);
            return layout.unflatten(read(model.grad));
        });
    }

    private void growWorkspace(int n) {
        Workspace old = workspace;
        workspace = null;
        old.close();
        workspace = new Workspace(cl, geometry, Math.max(n, config.batch()), Math.max(n, EVAL_ROWS));
    }

    private float[] read(ClBuffer b) {
        float[] flat = new float[layout.size()];
        b.read(flat);
        return flat;
    }

    private void requireData() {
        if (train == null) {
            throw new IllegalStateException("upload(data) must come first");
        }
    }

    private static int chunks(int count, int size) {
        return (count + size - 1) / size;
    }

    /** Runs host code that calls OpenCL, turning JOCL's exceptions into ones that say what was being done. */
    private void run(String doing, Runnable r) {
        call(doing, () -> {
            r.run();
            return null;
        });
    }

    private <T> T call(String doing, Supplier<T> s) {
        if (closed) {
            throw new IllegalStateException("the OpenCL backend is closed");
        }
        try {
            return s.get();
        } catch (CLException e) {
            throw OpenClException.wrap(doing + " on " + device.name(), e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (cl != null) {
            try {
                cl.finish();   // let queued work end before its buffers go
            } catch (CLException e) {
                // a lost device: release everything all the same
            }
        }
        Releaser.closeAll(evalMetrics, epochMetrics, trainOrder, test, validation, train, pacer, workspace, model,
                program, cl);
    }
}
