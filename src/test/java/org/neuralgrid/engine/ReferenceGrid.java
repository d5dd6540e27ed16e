package org.neuralgrid.engine;

import org.neuralgrid.data.Dataset;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;

/**
 * The 2D NeuralGrid written straight from its equations in double precision, one sample at a time: the
 * reference that finite differences check and that the fast backends are checked against.
 */
final class ReferenceGrid {
    final int h, w, r;
    final Activation act;
    final double[] wIn, bIn, gw, gb, wOut, bOut;   // shapes as in Parameters

    ReferenceGrid(RunConfig c, Parameters p) {
        h = c.height();
        w = c.width();
        r = (c.kernel() - 1) / 2;
        act = c.activation();
        wIn = doubles(p.data(Parameters.IN_WEIGHT));
        bIn = doubles(p.data(Parameters.IN_BIAS));
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
    record Pass(double[][] a, double[][] z, double[] logits) {
    }

    Pass forward(double[] x) {
        double[][] a = new double[w + 1][h];
        double[][] z = new double[w + 1][h];
        for (int p = 0; p < h; p++) {
            double s = bIn[p];
            for (int m = 0; m < x.length; m++) {
                s += wIn[p * x.length + m] * x[m];
            }
            a[0][p] = s;
        }
        for (int l = 1; l <= w; l++) {
            for (int p = 0; p < h; p++) {
                double s = gb[(l - 1) * h + p];
                for (int q = p - r; q <= p + r; q++) {
                    if (q >= 0 && q < h) {
                        s += gw[(l - 1) * h + q] * a[l - 1][q];
                    }
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

    static double crossEntropy(double[] logits, int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : logits) {
            sum += Math.exp(v - max);
        }
        return Math.log(sum) + max - logits[label];
    }

    static double[] input(Dataset ds, int s) {
        double[] x = new double[ds.imageSize()];
        for (int m = 0; m < x.length; m++) {
            x[m] = ds.normalized(s, m);
        }
        return x;
    }

    double meanLoss(Dataset ds, int[] samples) {
        double loss = 0;
        for (int s : samples) {
            loss += crossEntropy(forward(input(ds, s)).logits(), ds.label(s));
        }
        return loss / samples.length;
    }

    /** Gradients of the mean loss, in the layout of Parameters: {wIn, bIn, gw, gb, wOut, bOut}. */
    double[][] gradients(Dataset ds, int[] samples) {
        double[][] g = {new double[wIn.length], new double[bIn.length], new double[gw.length],
            new double[gb.length], new double[wOut.length], new double[bOut.length]};
        for (int s : samples) {
            double[] x = input(ds, s);
            Pass f = forward(x);
            double[] gl = softmaxGrad(f.logits(), ds.label(s), 1.0 / samples.length);
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
                    for (int q = p - r; q <= p + r; q++) {
                        if (q >= 0 && q < h) {
                            g[2][(l - 1) * h + q] += gz[p] * f.a()[l - 1][q];
                            prev[q] += gz[p] * gw[(l - 1) * h + q];
                        }
                    }
                }
                ga = prev;
            }
            for (int p = 0; p < h; p++) {
                g[1][p] += ga[p];
                for (int m = 0; m < x.length; m++) {
                    g[0][p * x.length + m] += ga[p] * x[m];
                }
            }
        }
        return g;
    }

    private static double[] softmaxGrad(double[] logits, int label, double scale) {
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
            g[c] = (Math.exp(logits[c] - max) / sum - (c == label ? 1 : 0)) * scale;
        }
        return g;
    }

    /** The tensors in Parameters order, for finite differences that nudge one entry. */
    double[][] tensors() {
        return new double[][] {wIn, bIn, gw, gb, wOut, bOut};
    }

    static final String[] NAMES = {Parameters.IN_WEIGHT, Parameters.IN_BIAS, Parameters.GRID_WEIGHT,
        Parameters.GRID_BIAS, Parameters.OUT_WEIGHT, Parameters.OUT_BIAS};
}
