package org.neuralgrid.engine.cpu;

import static org.neuralgrid.engine.cpu.VectorMath.F;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
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
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.ModelLayout;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.Tensor;

/**
 * The NeuralGrid (2D and 3D) in pure Java, on all cores, with the Vector API.
 *
 * <p>Both forms are one computation over layers of rows x cols cells with a (rows, cols) window of radius r:
 * a 2D grid's layer is one row of H cells (so every window is one contiguous run of cells), a 3D grid's layer is
 * a 28x28 sheet. The 2D grid has a dense layer in front; the 3D grid takes the image as its first sheet.
 *
 * <p>Samples are processed in chunks of {@code chunk} (a few vector lengths). Inside a chunk every activation is
 * stored cell-major, sample-minor: act[(l*H + p)*chunk + j] is cell p of layer l for sample j, so every grid
 * operation is a scalar weight times a vector of samples and vectorises without gathers; a chunk's whole grid
 * stays in the core's cache between the forward and the backward pass.
 *
 * <p>Determinism: a batch's chunks are dealt to a fixed number of slots (not threads); each slot sums its
 * chunks' gradients in chunk order and the slots are added in slot order, so a seed gives the same numbers
 * whatever the thread count.
 */
public final class CpuBackend implements Backend {
    private static final int IMG = RunConfig.IMAGE_SIZE;
    private static final int CLS = RunConfig.CLASSES;
    private static final int MAX_SLOTS = 16;
    private static final int UPDATE_BLOCK = 16 * 1024;
    private static final int L = F.length();

    private final RunConfig config;
    private final int h;       // cells per layer: H (2D) or 28*28 (3D)
    private final int w;       // grid layers: W (2D) or the sheet count (3D)
    private final int r;       // kernel radius (k-1)/2
    private final boolean dense;   // a dense layer maps the image into the grid (2D)
    private final int[] winRowLo, winRowHi, winColLo, winColHi;   // (h) each cell's window, clamped to the layer
    private final int cols;    // cells per row of a layer
    private final int chunk;   // samples per chunk, a multiple of L
    private final Activation activation;
    private final WorkerPool pool;
    private final Scratch[] scratch;   // one per worker

    private final Parameters params;
    private final float[] wIn, bIn, gridW, gridB, wOut, bOut;
    private final Parameters grads;
    private final Parameters[] slotGrads;   // (slots) partial gradients
    private final float[][][] slotArrays;   // (slots, tensor) the same, by tensor index
    private final float[][] paramArrays;    // (tensor)
    private final float[][] gradArrays;     // (tensor)
    private float[][] firstMoments;         // (tensor)
    private float[][] secondMoments;        // (tensor)
    private final double[] slotLoss;
    private final int[] slotCorrect;
    private final List<int[]> updateBlocks = new ArrayList<>();   // {tensor, from, to}
    private OptimizerState adam;

    private final float[] inputs;           // (256) the input of each pixel byte (the normalisation)
    private final float smoothing;
    private final float weightDecay;
    private Dataset train;
    private Dataset validation;
    private Dataset test;
    private double[] evalLoss = new double[0];
    private int[] evalCorrect = new int[0];
    private int[] order;
    private double epochLoss;
    private long epochCorrect;
    private long epochSamples;

    public CpuBackend(RunConfig config) {
        this.config = config;
        this.h = config.cellsPerLayer();
        this.w = config.depth();
        this.r = (config.kernel() - 1) / 2;
        this.dense = !config.is3d();
        this.cols = config.sheetCols();
        int rows = config.sheetRows();
        this.winRowLo = new int[h];
        this.winRowHi = new int[h];
        this.winColLo = new int[h];
        this.winColHi = new int[h];
        for (int p = 0; p < h; p++) {
            int i = p / cols, j = p % cols;
            winRowLo[p] = Math.max(0, i - r);
            winRowHi[p] = Math.min(rows - 1, i + r);
            winColLo[p] = Math.max(0, j - r);
            winColHi[p] = Math.min(cols - 1, j + r);
        }
        this.activation = config.activation();
        this.inputs = config.normalization().table();
        this.smoothing = (float) config.labelSmoothing();
        this.weightDecay = (float) config.weightDecay();
        this.chunk = chunkSize();
        int threads = config.threads() > 0 ? config.threads() : Runtime.getRuntime().availableProcessors();
        this.pool = new WorkerPool(threads, "neuralgrid-cpu");
        this.scratch = new Scratch[pool.size()];
        for (int i = 0; i < scratch.length; i++) {
            scratch[i] = new Scratch(h, w, chunk);
        }
        this.params = ModelLayout.initial(config);
        this.wIn = dense ? params.data(Parameters.IN_WEIGHT) : null;
        this.bIn = dense ? params.data(Parameters.IN_BIAS) : null;
        this.gridW = params.data(Parameters.GRID_WEIGHT);
        this.gridB = params.data(Parameters.GRID_BIAS);
        this.wOut = params.data(Parameters.OUT_WEIGHT);
        this.bOut = params.data(Parameters.OUT_BIAS);
        this.grads = params.zerosLike();
        int slots = Math.min(MAX_SLOTS, ceilDiv(config.batch(), chunk));
        this.slotGrads = new Parameters[slots];
        for (int s = 0; s < slots; s++) {
            slotGrads[s] = params.zerosLike();
        }
        this.slotArrays = new float[slots][][];
        for (int s = 0; s < slots; s++) {
            slotArrays[s] = arrays(slotGrads[s]);
        }
        this.paramArrays = arrays(params);
        this.gradArrays = arrays(grads);
        this.slotLoss = new double[slots];
        this.slotCorrect = new int[slots];
        useOptimizerState(OptimizerState.fresh(params));
        List<Tensor> tensors = params.tensors();
        for (int t = 0; t < tensors.size(); t++) {
            for (int from = 0; from < tensors.get(t).size(); from += UPDATE_BLOCK) {
                updateBlocks.add(new int[] {t, from, Math.min(tensors.get(t).size(), from + UPDATE_BLOCK)});
            }
        }
    }

    /** Two vectors of samples per chunk: enough work per weight broadcast, small enough to stay in cache. */
    private static int chunkSize() {
        int vectors = Integer.getInteger("neuralgrid.cpu.chunkVectors", 2);
        return Math.max(1, vectors) * L;
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public String device() {
        return "CPU, " + pool.size() + (pool.size() == 1 ? " thread, " : " threads, ") + F.vectorBitSize()
                + "-bit vectors (Java " + Runtime.version().feature() + ")";
    }

    @Override
    public void upload(DataSplit data) {
        this.train = data.train();
        this.validation = data.validation();
        this.test = data.test();
        int chunks = ceilDiv(Math.max(test.count(), validation.count()), chunk);
        this.evalLoss = new double[chunks];
        this.evalCorrect = new int[chunks];
    }

    @Override
    public void setTrainImages(Dataset images) {
        requireData();
        if (images.count() != train.count() || images.imageSize() != train.imageSize()) {
            throw new IllegalArgumentException("training images of " + images.count() + " samples replace "
                    + train.count());
        }
        this.train = images;
    }

    @Override
    public void setParameters(Parameters p) {
        params.requireSameLayout(p);
        for (Tensor t : p.tensors()) {
            System.arraycopy(t.data(), 0, params.data(t.name()), 0, t.size());
        }
    }

    @Override
    public Parameters parameters() {
        return params.copy();
    }

    @Override
    public void setOptimizerState(OptimizerState state) {
        params.requireSameLayout(state.firstMoment());
        params.requireSameLayout(state.secondMoment());
        useOptimizerState(new OptimizerState(state.step(), state.firstMoment().copy(), state.secondMoment().copy()));
    }

    private void useOptimizerState(OptimizerState state) {
        adam = state;
        firstMoments = arrays(state.firstMoment());
        secondMoments = arrays(state.secondMoment());
    }

    private static float[][] arrays(Parameters p) {
        return p.tensors().stream().map(Tensor::data).toArray(float[][]::new);
    }

    @Override
    public OptimizerState optimizerState() {
        return new OptimizerState(adam.step(), adam.firstMoment().copy(), adam.secondMoment().copy());
    }

    @Override
    public void beginEpoch(int[] order) {
        requireData();
        this.order = order;
        epochLoss = 0;
        epochCorrect = 0;
        epochSamples = 0;
    }

    @Override
    public void trainStep(int batch, float learningRate) {
        requireData();
        int n = config.batch();
        if (order == null || batch < 0 || (long) (batch + 1) * n > order.length) {
            throw new IllegalArgumentException("batch " + batch + " of " + n + " samples is outside the epoch's "
                    + (order == null ? 0 : order.length) + " samples");
        }
        int slots = accumulate(train, order, batch * n, n);
        for (int s = 0; s < slots; s++) {
            epochLoss += slotLoss[s];
            epochCorrect += slotCorrect[s];
        }
        epochSamples += n;
        long step = adam.step() + 1;
        adam = new OptimizerState(step, adam.firstMoment(), adam.secondMoment());
        float lr = learningRate;
        float bc1 = (float) (1 - Math.pow(OptimizerState.BETA1, step));
        float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(OptimizerState.BETA2, step));
        float decay = 1 - lr * weightDecay;
        pool.run(updateBlocks.size(), (task, worker) -> adamBlock(updateBlocks.get(task), slots, lr, bc1, bc2Sqrt,
                decay));
    }

    @Override
    public TrainMetrics trainMetrics() {
        return new TrainMetrics(epochLoss, epochCorrect, epochSamples);
    }

    @Override
    public Parameters gradients(int[] samples) {
        requireData();
        if (samples.length == 0) {
            throw new IllegalArgumentException("gradients of no samples");
        }
        int slots = accumulate(train, samples, 0, samples.length);
        pool.run(updateBlocks.size(), (task, worker) -> reduceBlock(updateBlocks.get(task), slots));
        return grads.copy();
    }

    @Override
    public Evaluation evaluate(EvalSet set) {
        requireData();
        Dataset ds = set == EvalSet.VALIDATION ? validation : test;
        if (ds.count() == 0) {
            return new Evaluation(Double.NaN, Double.NaN, 0);
        }
        int chunks = ceilDiv(ds.count(), chunk);
        pool.run(chunks, (c, worker) -> {
            Scratch sc = scratch[worker];
            int from = c * chunk;
            int n = Math.min(chunk, ds.count() - from);
            loadChunk(sc, ds, null, from, n, false);
            forward(sc);
            evalLoss[c] = softmaxCrossEntropy(sc, n, 0f, 0f);
            evalCorrect[c] = sc.correct;
        });
        double loss = 0;
        long correct = 0;
        for (int c = 0; c < chunks; c++) {
            loss += evalLoss[c];
            correct += evalCorrect[c];
        }
        return new Evaluation(loss / ds.count(), (double) correct / ds.count(), ds.count());
    }

    @Override
    public ClassMaps activationMaps(int epoch, int[][] samplesPerClass) {
        requireData();
        float[] values = new float[CLS * h * w];
        float[] std = new float[CLS * h * w];
        pool.run(CLS, (c, worker) -> classMap(scratch[worker], samplesPerClass[c], values, std, c));
        ActivationMaps mean = dense ? new ActivationMaps(epoch, CLS, h, w, values)
                : new ActivationMaps(epoch, CLS, true, w, config.sheetRows(), cols, values);
        return new ClassMaps(mean, mean.as(MapKind.STD, CLS, std));
    }

    @Override
    public void close() {
        pool.close();
    }

    private void requireData() {
        if (train == null) {
            throw new IllegalStateException("upload(data) must come first");
        }
    }

    // ---- one batch: forward, loss, backward into per-slot partial gradients

    /** Gradients of the mean loss over idx[off, off+n) into the slots; returns the number of slots used. */
    private int accumulate(Dataset ds, int[] idx, int off, int n) {
        int chunks = ceilDiv(n, chunk);
        int slots = Math.min(slotGrads.length, chunks);
        float scale = 1f / n;
        pool.run(slots, (slot, worker) -> {
            Scratch sc = scratch[worker];
            Parameters g = slotGrads[slot];
            for (float[] t : slotArrays[slot]) {
                Arrays.fill(t, 0f);
            }
            double loss = 0;
            int correct = 0;
            for (int c = slot; c < chunks; c += slots) {
                int cn = Math.min(chunk, n - c * chunk);
                loadChunk(sc, ds, idx, off + c * chunk, cn, dense);
                forward(sc);
                loss += softmaxCrossEntropy(sc, cn, scale, smoothing);
                correct += sc.correct;
                backward(sc, cn, g);
            }
            slotLoss[slot] = loss;
            slotCorrect[slot] = correct;
        });
        return slots;
    }

    /** Normalised pixels of samples idx[off..off+n) (or off.. when idx is null), zero-padded to a full chunk. */
    private void loadChunk(Scratch sc, Dataset ds, int[] idx, int off, int n, boolean rows) {
        byte[] px = ds.pixels();
        for (int j = 0; j < chunk; j++) {
            if (j < n) {
                int s = idx == null ? off + j : idx[off + j];
                sc.labels[j] = ds.label(s);
                int base = s * IMG;
                for (int m = 0; m < IMG; m++) {
                    float v = inputs[px[base + m] & 0xff];
                    sc.xT[m * chunk + j] = v;
                    if (rows) {
                        sc.xRows[j * IMG + m] = v;
                    }
                }
            } else {
                sc.labels[j] = -1;
                for (int m = 0; m < IMG; m++) {
                    sc.xT[m * chunk + j] = 0f;
                }
            }
        }
    }

    private void forward(Scratch sc) {
        if (dense) {
            inputLayer(sc);
        } else {
            // the image is the first sheet: xT (784, chunk) is already laid out as a layer
            System.arraycopy(sc.xT, 0, sc.act, 0, h * chunk);
        }
        for (int l = 1; l <= w; l++) {
            gridLayer(sc, l);
        }
        outputLayer(sc);
    }

    // W_in (H,784) @ x (784, chunk) + b_in -> a0 (H, chunk); four rows at a time share each load of x
    private void inputLayer(Scratch sc) {
        float[] xT = sc.xT, a = sc.act;
        int p = 0;
        for (; p + 4 <= h; p += 4) {
            int w0 = p * IMG, w1 = w0 + IMG, w2 = w1 + IMG, w3 = w2 + IMG;
            for (int v = 0; v < chunk; v += L) {
                FloatVector acc0 = FloatVector.broadcast(F, bIn[p]);
                FloatVector acc1 = FloatVector.broadcast(F, bIn[p + 1]);
                FloatVector acc2 = FloatVector.broadcast(F, bIn[p + 2]);
                FloatVector acc3 = FloatVector.broadcast(F, bIn[p + 3]);
                for (int m = 0; m < IMG; m++) {
                    FloatVector x = FloatVector.fromArray(F, xT, m * chunk + v);
                    acc0 = x.fma(FloatVector.broadcast(F, wIn[w0 + m]), acc0);
                    acc1 = x.fma(FloatVector.broadcast(F, wIn[w1 + m]), acc1);
                    acc2 = x.fma(FloatVector.broadcast(F, wIn[w2 + m]), acc2);
                    acc3 = x.fma(FloatVector.broadcast(F, wIn[w3 + m]), acc3);
                }
                acc0.intoArray(a, p * chunk + v);
                acc1.intoArray(a, (p + 1) * chunk + v);
                acc2.intoArray(a, (p + 2) * chunk + v);
                acc3.intoArray(a, (p + 3) * chunk + v);
            }
        }
        for (; p < h; p++) {
            for (int v = 0; v < chunk; v += L) {
                FloatVector acc = FloatVector.broadcast(F, bIn[p]);
                for (int m = 0; m < IMG; m++) {
                    acc = FloatVector.fromArray(F, xT, m * chunk + v).fma(FloatVector.broadcast(F, wIn[p * IMG + m]), acc);
                }
                acc.intoArray(a, p * chunk + v);
            }
        }
    }

    // z[p] = sum over the window of p of w_l[q] a_{l-1}[q] + b_l[p];  a_l = h(z), der_l = h'(z)
    private void gridLayer(Scratch sc, int l) {
        float[] a = sc.act, der = sc.der;
        int prev = (l - 1) * h * chunk, next = l * h * chunk, wOff = (l - 1) * h;
        for (int p = 0; p < h; p++) {
            for (int v = 0; v < chunk; v += L) {
                FloatVector z = FloatVector.broadcast(F, gridB[wOff + p]);
                for (int row = winRowLo[p]; row <= winRowHi[p]; row++) {
                    int lo = row * cols + winColLo[p], hi = row * cols + winColHi[p];
                    for (int q = lo; q <= hi; q++) {
                        z = FloatVector.fromArray(F, a, prev + q * chunk + v)
                                .fma(FloatVector.broadcast(F, gridW[wOff + q]), z);
                    }
                }
                activate(z, a, der, next + p * chunk + v, prev + p * chunk + v);
            }
        }
    }

    private void activate(FloatVector z, float[] a, float[] der, int aOff, int dOff) {
        switch (activation) {
            case SIN -> VectorMath.sinCos(z, a, aOff, der, dOff);
            case TANH -> {
                FloatVector t = VectorMath.tanh(z);
                t.intoArray(a, aOff);
                t.fma(t.neg(), FloatVector.broadcast(F, 1f)).intoArray(der, dOff);
            }
            case RELU -> {
                var positive = z.compare(VectorOperators.GT, 0f);
                z.max(0f).intoArray(a, aOff);
                FloatVector.zero(F).blend(1f, positive).intoArray(der, dOff);
            }
            case GELU -> gelu(z, a, der, aOff, dOff);
            case IDENTITY -> {
                z.intoArray(a, aOff);
                FloatVector.broadcast(F, 1f).intoArray(der, dOff);
            }
        }
    }

    /*
     * The tanh form 0.5 z (1 + tanh(u)), u = c (z + 0.044715 z^3), written as z * sigmoid(2u): the same function,
     * but it keeps its tiny values for large negative z where 1 + tanh(u) cancels to nothing in float.
     */
    private static void gelu(FloatVector z, float[] a, float[] der, int aOff, int dOff) {
        final float c = 0.7978845608028654f, k = 0.044715f;
        FloatVector z2 = z.mul(z);
        FloatVector u2 = z2.fma(k, 1f).mul(z).mul(-2 * c);   // -2u
        FloatVector e = VectorMath.exp(u2.max(-80f).min(80f));
        FloatVector s = FloatVector.broadcast(F, 1f).div(e.add(1f));
        z.mul(s).intoArray(a, aOff);
        FloatVector du2 = z2.fma(6 * k * c, 2 * c);        // 2 du/dz
        FloatVector oneMinusS = FloatVector.broadcast(F, 1f).sub(s);
        z.mul(s).mul(oneMinusS).fma(du2, s).intoArray(der, dOff);
    }

    // W_out (10,H) @ a_W (H, chunk) + b_out -> logits (10, chunk)
    private void outputLayer(Scratch sc) {
        float[] a = sc.act, logits = sc.logits;
        int last = w * h * chunk;
        for (int c = 0; c < CLS; c++) {
            for (int v = 0; v < chunk; v += L) {
                FloatVector acc0 = FloatVector.broadcast(F, bOut[c]);
                FloatVector acc1 = FloatVector.zero(F);
                int p = 0;
                for (; p + 2 <= h; p += 2) {
                    acc0 = FloatVector.fromArray(F, a, last + p * chunk + v).fma(FloatVector.broadcast(F, wOut[c * h + p]), acc0);
                    acc1 = FloatVector.fromArray(F, a, last + (p + 1) * chunk + v).fma(FloatVector.broadcast(F, wOut[c * h + p + 1]), acc1);
                }
                if (p < h) {
                    acc0 = FloatVector.fromArray(F, a, last + p * chunk + v).fma(FloatVector.broadcast(F, wOut[c * h + p]), acc0);
                }
                acc0.add(acc1).intoArray(logits, c * chunk + v);
            }
        }
    }

    /**
     * Sum of the cross-entropy losses of the first n samples against targets (1 - eps) onehot + eps / 10 (eps = 0:
     * plain cross-entropy); counts the correct ones in sc.correct and, with scale &gt; 0, writes dLoss/dlogits times
     * scale to sc.gLogits (zero for padding samples).
     */
    private double softmaxCrossEntropy(Scratch sc, int n, float scale, float eps) {
        float[] logits = sc.logits, g = sc.gLogits;
        double loss = 0;
        int correct = 0;
        for (int j = 0; j < chunk; j++) {
            if (j >= n) {
                for (int c = 0; c < CLS; c++) {
                    g[c * chunk + j] = 0f;
                }
                continue;
            }
            int best = 0;
            float max = logits[j];
            for (int c = 1; c < CLS; c++) {
                float v = logits[c * chunk + j];
                if (v > max) {
                    max = v;
                    best = c;
                }
            }
            double sum = 0;
            double logitSum = 0;
            for (int c = 0; c < CLS; c++) {
                sum += Math.exp(logits[c * chunk + j] - max);
                logitSum += logits[c * chunk + j];
            }
            int label = sc.labels[j];
            double logSumExp = Math.log(sum) + max;
            loss += logSumExp - (1 - eps) * logits[label * chunk + j] - eps * logitSum / CLS;
            if (best == label) {
                correct++;
            }
            if (scale > 0) {
                for (int c = 0; c < CLS; c++) {
                    double soft = Math.exp(logits[c * chunk + j] - max) / sum;
                    double target = (c == label ? 1 - eps : 0) + eps / (double) CLS;
                    g[c * chunk + j] = (float) ((soft - target) * scale);
                }
            }
        }
        sc.correct = correct;
        return loss;
    }

    private void backward(Scratch sc, int n, Parameters g) {
        outputBackward(sc, g);
        for (int l = w; l >= 1; l--) {
            gridBackward(sc, l, g);
        }
        if (dense) {
            inputBackward(sc, n, g);
        }
    }

    // dW_out[c,p] += gLogits[c,:] . a_W[p,:];  ga[p,:] = sum_c W_out[c,p] gLogits[c,:]
    private void outputBackward(Scratch sc, Parameters g) {
        float[] a = sc.act, gl = sc.gLogits, ga = sc.ga;
        float[] dW = g.data(Parameters.OUT_WEIGHT), dB = g.data(Parameters.OUT_BIAS);
        int last = w * h * chunk;
        for (int c = 0; c < CLS; c++) {
            FloatVector sum = FloatVector.zero(F);
            for (int v = 0; v < chunk; v += L) {
                sum = sum.add(FloatVector.fromArray(F, gl, c * chunk + v));
            }
            dB[c] += VectorMath.sum(sum);
        }
        for (int p = 0; p < h; p++) {
            for (int v = 0; v < chunk; v += L) {
                FloatVector x = FloatVector.fromArray(F, a, last + p * chunk + v);
                FloatVector acc = FloatVector.zero(F);
                for (int c = 0; c < CLS; c++) {
                    FloatVector gv = FloatVector.fromArray(F, gl, c * chunk + v);
                    acc = gv.fma(FloatVector.broadcast(F, wOut[c * h + p]), acc);
                }
                acc.intoArray(ga, p * chunk + v);
            }
            for (int c = 0; c < CLS; c++) {
                FloatVector dot = FloatVector.zero(F);
                for (int v = 0; v < chunk; v += L) {
                    dot = FloatVector.fromArray(F, gl, c * chunk + v)
                            .fma(FloatVector.fromArray(F, a, last + p * chunk + v), dot);
                }
                dW[c * h + p] += VectorMath.sum(dot);
            }
        }
    }

    /*
     * In: ga = dL/da_l. gz = ga * h'(z_l); db_l[p] += sum_j gz[p]; gu[q] = sum of gz over the cells whose window
     * holds q, which (odd k, same padding) is q's own window; dw_l[q] += sum_j gu[q] a_{l-1}[q];
     * out: ga = dL/da_{l-1} = gu * w_l.
     */
    private void gridBackward(Scratch sc, int l, Parameters g) {
        float[] a = sc.act, der = sc.der, ga = sc.ga, gz = sc.gz;
        float[] dW = g.data(Parameters.GRID_WEIGHT), dB = g.data(Parameters.GRID_BIAS);
        int prev = (l - 1) * h * chunk, wOff = (l - 1) * h;
        for (int p = 0; p < h; p++) {
            FloatVector sum = FloatVector.zero(F);
            for (int v = 0; v < chunk; v += L) {
                int i = p * chunk + v;
                FloatVector z = FloatVector.fromArray(F, ga, i).mul(FloatVector.fromArray(F, der, prev + i));
                z.intoArray(gz, i);
                sum = sum.add(z);
            }
            dB[wOff + p] += VectorMath.sum(sum);
        }
        for (int q = 0; q < h; q++) {
            float weight = gridW[wOff + q];
            FloatVector dot = FloatVector.zero(F);
            for (int v = 0; v < chunk; v += L) {
                FloatVector gu = FloatVector.zero(F);
                for (int row = winRowLo[q]; row <= winRowHi[q]; row++) {
                    int lo = row * cols + winColLo[q], hi = row * cols + winColHi[q];
                    for (int p = lo; p <= hi; p++) {
                        gu = gu.add(FloatVector.fromArray(F, gz, p * chunk + v));
                    }
                }
                dot = gu.fma(FloatVector.fromArray(F, a, prev + q * chunk + v), dot);
                gu.mul(weight).intoArray(ga, q * chunk + v);
            }
            dW[wOff + q] += VectorMath.sum(dot);
        }
    }

    // db_in[p] += sum_j ga[p,j];  dW_in[p,:] += sum_j ga[p,j] x[j,:]  (vectorised along the 784 pixels)
    private void inputBackward(Scratch sc, int n, Parameters g) {
        float[] ga = sc.ga, x = sc.xRows;
        float[] dW = g.data(Parameters.IN_WEIGHT), dB = g.data(Parameters.IN_BIAS);
        for (int p = 0; p < h; p++) {
            FloatVector sum = FloatVector.zero(F);
            for (int v = 0; v < chunk; v += L) {
                sum = sum.add(FloatVector.fromArray(F, ga, p * chunk + v));
            }
            dB[p] += VectorMath.sum(sum);
        }
        int bound = F.loopBound(IMG);
        int p = 0;
        for (; p + 4 <= h; p += 4) {
            int r0 = p * IMG, r1 = r0 + IMG, r2 = r1 + IMG, r3 = r2 + IMG;
            int g0 = p * chunk, g1 = g0 + chunk, g2 = g1 + chunk, g3 = g2 + chunk;
            int m = 0;
            for (; m < bound; m += L) {
                FloatVector acc0 = FloatVector.fromArray(F, dW, r0 + m);
                FloatVector acc1 = FloatVector.fromArray(F, dW, r1 + m);
                FloatVector acc2 = FloatVector.fromArray(F, dW, r2 + m);
                FloatVector acc3 = FloatVector.fromArray(F, dW, r3 + m);
                for (int j = 0; j < n; j++) {
                    FloatVector xv = FloatVector.fromArray(F, x, j * IMG + m);
                    acc0 = xv.fma(FloatVector.broadcast(F, ga[g0 + j]), acc0);
                    acc1 = xv.fma(FloatVector.broadcast(F, ga[g1 + j]), acc1);
                    acc2 = xv.fma(FloatVector.broadcast(F, ga[g2 + j]), acc2);
                    acc3 = xv.fma(FloatVector.broadcast(F, ga[g3 + j]), acc3);
                }
                acc0.intoArray(dW, r0 + m);
                acc1.intoArray(dW, r1 + m);
                acc2.intoArray(dW, r2 + m);
                acc3.intoArray(dW, r3 + m);
            }
            for (; m < IMG; m++) {
                for (int j = 0; j < n; j++) {
                    float xv = x[j * IMG + m];
                    dW[r0 + m] += ga[g0 + j] * xv;
                    dW[r1 + m] += ga[g1 + j] * xv;
                    dW[r2 + m] += ga[g2 + j] * xv;
                    dW[r3 + m] += ga[g3 + j] * xv;
                }
            }
        }
        for (; p < h; p++) {
            for (int m = 0; m < IMG; m++) {
                float acc = dW[p * IMG + m];
                for (int j = 0; j < n; j++) {
                    acc += ga[p * chunk + j] * x[j * IMG + m];
                }
                dW[p * IMG + m] = acc;
            }
        }
    }

    // ---- reduction over slots and the Adam step, block by block (disjoint blocks: any thread order is exact)

    private void reduceBlock(int[] block, int slots) {
        int t = block[0];
        float[] out = gradArrays[t];
        for (int i = block[1]; i < block[2]; i++) {
            out[i] = slotSum(t, i, slots);
        }
    }

    /** Adam on a block; AdamW's decay first, as PyTorch: p = p (1 - lr wd) - step (decay = 1 - lr wd). */
    private void adamBlock(int[] block, int slots, float lr, float bc1, float bc2Sqrt, float decay) {
        int t = block[0];
        float[] p = paramArrays[t];
        float[] m = firstMoments[t];
        float[] v = secondMoments[t];
        final float b1 = (float) OptimizerState.BETA1, b2 = (float) OptimizerState.BETA2;
        final float eps = (float) OptimizerState.EPSILON;
        float stepSize = lr / bc1;
        for (int i = block[1]; i < block[2]; i++) {
            float g = slotSum(t, i, slots);
            float mi = b1 * m[i] + (1 - b1) * g;
            float vi = b2 * v[i] + (1 - b2) * g * g;
            m[i] = mi;
            v[i] = vi;
            p[i] = p[i] * decay - stepSize * mi / ((float) Math.sqrt(vi) / bc2Sqrt + eps);
        }
    }

    private float slotSum(int tensor, int i, int slots) {
        float g = 0;
        for (int s = 0; s < slots; s++) {
            g += slotArrays[s][tensor][i];
        }
        return g;
    }

    // ---- activation maps

    /**
     * Class cls's mean and standard deviation of every cell, chunk by chunk: each chunk's plain sum goes into
     * values (so the means are exactly the sums they always were), and each chunk's squared deviations from its
     * own mean are merged into std by Chan et al.'s update (m2 += m2_b + delta^2 * n_a * n_b / (n_a + n_b)),
     * which never subtracts two large squares and so keeps a small spread around a large mean.
     */
    private void classMap(Scratch sc, int[] samples, float[] values, float[] std, int cls) {
        int[] picked = Arrays.stream(samples).filter(s -> s >= 0).toArray();
        int count = picked.length;
        if (count == 0) {
            return;
        }
        for (int from = 0; from < count; from += chunk) {
            int n = Math.min(chunk, count - from);
            loadChunk(sc, test, picked, from, n, false);
            forward(sc);
            for (int l = 1; l <= w; l++) {
                for (int p = 0; p < h; p++) {
                    int base = (l * h + p) * chunk;
                    float sum = 0;
                    for (int j = 0; j < n; j++) {
                        sum += sc.act[base + j];
                    }
                    // 2D: (class, H, W) with the layers as columns; 3D: (class, layer, 28, 28)
                    int at = dense ? (cls * h + p) * w + (l - 1) : (cls * w + (l - 1)) * h + p;
                    std[at] = mergedSquaredDeviations(sc.act, base, n, sum, std[at], from, values[at]);
                    values[at] += sum;
                }
            }
        }
        for (int i = cls * h * w; i < (cls + 1) * h * w; i++) {
            values[i] /= count;
            std[i] = (float) Math.sqrt(std[i] / count);
        }
    }

    /**
     * The squared deviations from their mean of prior samples (m2, their sum priorSum) and of act[base, base+n)
     * (their sum chunkSum) together: the same arithmetic as the OpenCL kernel class_map.
     */
    private static float mergedSquaredDeviations(float[] act, int base, int n, float chunkSum, float m2, int prior,
                                                 float priorSum) {
        float chunkMean = chunkSum / n;
        float chunkM2 = 0;
        for (int j = 0; j < n; j++) {
            float d = act[base + j] - chunkMean;
            chunkM2 += d * d;
        }
        if (prior == 0) {
            return chunkM2;
        }
        float delta = chunkMean - priorSum / prior;
        return m2 + chunkM2 + delta * delta * ((float) prior * n / (prior + n));
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** One worker's buffers, sized once. */
    private static final class Scratch {
        final float[] xT;      // (784, chunk) normalised pixels, pixel-major
        final float[] xRows;   // (chunk, 784) the same, sample-major, for dW_in
        final float[] act;     // (W+1, H, chunk) a_0 .. a_W
        final float[] der;     // (W, H, chunk) h'(z_1) .. h'(z_W)
        final float[] ga;      // (H, chunk) dL/da of the current layer
        final float[] gz;      // (H, chunk) dL/dz of the current layer
        final float[] logits;  // (10, chunk)
        final float[] gLogits; // (10, chunk)
        final int[] labels;    // (chunk) -1 for padding
        int correct;

        Scratch(int h, int w, int chunk) {
            xT = new float[IMG * chunk];
            xRows = new float[chunk * IMG];
            act = new float[(w + 1) * h * chunk];
            der = new float[w * h * chunk];
            ga = new float[h * chunk];
            gz = new float[h * chunk];
            logits = new float[CLS * chunk];
            gLogits = new float[CLS * chunk];
            labels = new int[chunk];
        }
    }
}
