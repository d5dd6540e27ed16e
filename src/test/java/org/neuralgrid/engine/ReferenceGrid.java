package org.neuralgrid.engine;

import org.neuralgrid.data.Dataset;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.Normalization;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;

/**
 * The NeuralGrid written straight from its equations in double precision, one sample at a time: the reference
 * that finite differences check and that the fast backends are checked against. 2D: layers of H cells with a
 * window of k cells and a dense layer in front. 3D: 28x28 sheets with k x k windows, the image as first sheet.
 */
public final class ReferenceGrid {
    final int h, w, r;     // cells per layer, layers, kernel radius
    final int rows, cols;  // a layer's shape: 1 x H (2D) or 28 x 28 (3D)
    final boolean dense;
    final Activation act;
    final Normalization normalization;
    final double smoothing;   // label smoothing of the training loss (meanLoss and gradients)
    final double[] wIn, bIn, gw, gb, wOut, bOut;   // shapes as in Parameters; wIn, bIn empty for 3D

    public ReferenceGrid(RunConfig c, Parameters p) {
        dense = !c.is3d();
        rows = dense ? 1 : 28;
        cols = dense ? c.height() : 28;
        h = rows * cols;
        w = dense ? c.width() : c.layers();
        r = (c.kernel() - 1) / 2;
        act = c.activation();
        normalization = c.normalization();
        smoothing = c.labelSmoothing();
        wIn = dense ? doubles(p.data(Parameters.IN_WEIGHT)) : new double[0];
        bIn = dense ? doubles(p.data(Parameters.IN_BIAS)) : new double[0];
        gw = doubles(p.data(Parameters.GRID_WEIGHT));
        gb = doubles(p.data(Parameters.GRID_BIAS));
        wOut = doubles(p.data(Parameters.OUT_WEIGHT));
        bOut = doubles(p.data(Parameters.OUT_BIAS));
    }

    static double[] doubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** a[l][p] for l = 0..W and z[l][p] for l = 1..W, and the logits. */
    public record Pass(double[][] a, double[][] z, double[] logits) {
    }

    public Pass forward(double[] x) {
        double[][] a = new double[w + 1][h];
        double[][] z = new double[w + 1][h];
        for (int p = 0; p < h; p++) {
            if (dense) {
                double s = bIn[p];
                for (int m = 0; m < x.length; m++) {
                    s += wIn[p * x.length + m] * x[m];
                }
                a[0][p] = s;
            } else {
                a[0][p] = x[p];
            }
        }
        for (int l = 1; l <= w; l++) {
            for (int p = 0; p < h; p++) {
                double s = gb[(l - 1) * h + p];
                for (int q : window(p)) {
                    s += gw[(l - 1) * h + q] * a[l - 1][q];
                }
                z[l][p] = s;
                a[l][p] = act.apply(s);
            }
        }
        double[] logits = new double[RunConfig.CLASSES];
        for (int c = 0; c < logits.length; c++) {
            double s = bOut[c];
            for (int p = 0; p < h; p++) {
                s += wOut[c * h + p] * a[w][p];
            }
            logits[c] = s;
        }
        return new Pass(a, z, logits);
    }

    private int[][] windows;

    /** The source cells of cell p: those within r rows and r columns, inside the layer. */
    int[] window(int p) {
        if (windows == null) {
            windows = new int[h][];
            for (int c = 0; c < h; c++) {
                windows[c] = computeWindow(c);
            }
        }
        return windows[p];
    }

    private int[] computeWindow(int p) {
        int i = p / cols, j = p % cols;
        java.util.List<Integer> q = new java.util.ArrayList<>();
        for (int di = -r; di <= r; di++) {
            for (int dj = -r; dj <= r; dj++) {
                int ii = i + di, jj = j + dj;
                if (ii >= 0 && ii < rows && jj >= 0 && jj < cols) {
                    q.add(ii * cols + jj);
                }
            }
        }
        return q.stream().mapToInt(Integer::intValue).toArray();
    }

    public static double crossEntropy(double[] logits, int label) {
        return crossEntropy(logits, label, 0);
    }

    /** Cross-entropy against the target (1 - eps) onehot + eps / K: the mean over classes of -log p, weighted. */
    public static double crossEntropy(double[] logits, int label, double eps) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : logits) {
            sum += Math.exp(v - max);
        }
        double logSum = Math.log(sum) + max;
        double loss = 0;
        for (int c = 0; c < logits.length; c++) {
            double target = (c == label ? 1 - eps : 0) + eps / logits.length;
            loss += target * (logSum - logits[c]);
        }
        return loss;
    }

    /** A sample's inputs under the default normalisation (the tests' models use it). */
    public static double[] input(Dataset ds, int s) {
        return input(ds, s, Normalization.FASHION_MNIST);
    }

    public static double[] input(Dataset ds, int s, Normalization normalization) {
        double[] x = new double[ds.imageSize()];
        for (int m = 0; m < x.length; m++) {
            x[m] = normalization.apply(ds.pixels()[s * ds.imageSize() + m]);
        }
        return x;
    }

    /** The mean training loss (with the configuration's label smoothing). */
    public double meanLoss(Dataset ds, int[] samples) {
        double loss = 0;
        for (int s : samples) {
            loss += crossEntropy(forward(input(ds, s, normalization)).logits(), ds.label(s), smoothing);
        }
        return loss / samples.length;
    }

    /** Gradients of the mean loss, in the layout of Parameters: {wIn, bIn, gw, gb, wOut, bOut}. */
    public double[][] gradients(Dataset ds, int[] samples) {
        double[][] g = {new double[wIn.length], new double[bIn.length], new double[gw.length],
            new double[gb.length], new double[wOut.length], new double[bOut.length]};
        for (int s : samples) {
            double[] x = input(ds, s, normalization);
            Pass f = forward(x);
            double[] gl = softmaxGrad(f.logits(), ds.label(s), 1.0 / samples.length, smoothing);
            double[] ga = new double[h];
            for (int c = 0; c < gl.length; c++) {
                g[5][c] += gl[c];
                for (int p = 0; p < h; p++) {
                    g[4][c * h + p] += gl[c] * f.a()[w][p];
                    ga[p] += wOut[c * h + p] * gl[c];
                }
            }
            for (int l = w; l >= 1; l--) {
                double[] gz = new double[h];
                for (int p = 0; p < h; p++) {
                    gz[p] = ga[p] * act.derivative(f.z()[l][p]);
                    g[3][(l - 1) * h + p] += gz[p];
                }
                double[] prev = new double[h];
                for (int p = 0; p < h; p++) {
                    for (int q : window(p)) {
                        g[2][(l - 1) * h + q] += gz[p] * f.a()[l - 1][q];
                        prev[q] += gz[p] * gw[(l - 1) * h + q];
                    }
                }
                ga = prev;
            }
            for (int p = 0; p < h && dense; p++) {
                g[1][p] += ga[p];
                for (int m = 0; m < x.length; m++) {
                    g[0][p * x.length + m] += ga[p] * x[m];
                }
            }
        }
        return g;
    }

    private static double[] softmaxGrad(double[] logits, int label, double scale, double eps) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : logits) {
            sum += Math.exp(v - max);
        }
        double[] g = new double[logits.length];
        for (int c = 0; c < g.length; c++) {
            g[c] = (Math.exp(logits[c] - max) / sum - ((c == label ? 1 - eps : 0) + eps / g.length)) * scale;
        }
        return g;
    }

    /** Largest |a-b| relative to the largest |b| of the tensor: how far a backend's float tensor is from this. */
    public static double relativeError(float[] fast, double[] ref) {
        double maxRef = 1e-12, maxDiff = 0;
        for (int i = 0; i < ref.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
            maxDiff = Math.max(maxDiff, Math.abs(fast[i] - ref[i]));
        }
        return maxDiff / maxRef;
    }

    /** The tensors in Parameters order, for finite differences that nudge one entry. */
    double[][] tensors() {
        return new double[][] {wIn, bIn, gw, gb, wOut, bOut};
    }

    public static final String[] NAMES = {Parameters.IN_WEIGHT, Parameters.IN_BIAS, Parameters.GRID_WEIGHT,
        Parameters.GRID_BIAS, Parameters.OUT_WEIGHT, Parameters.OUT_BIAS};

    /** Indices into {@link #NAMES} and {@link #tensors()} of the tensors this grid has. */
    public int[] tensorIndices() {
        return dense ? new int[] {0, 1, 2, 3, 4, 5} : new int[] {2, 3, 4, 5};
    }
}
