package org.neuralgrid.engine;

import org.neuralgrid.model.Activation;
import org.neuralgrid.model.Normalization;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;

/**
 * What a model makes of one image: its class probabilities, the activation of every grid cell, and for one class
 * the saliency: how that class's logit changes with each cell's activation (the evidence that class draws from
 * the cell) and with each input pixel.
 *
 * <p>Computed from a parameter snapshot in double precision, one image at a time, straight from the equations
 * (as the tests' reference is), so a probe is the same function whichever backend trained the parameters and
 * never touches a backend's buffers: a run that trains goes on undisturbed.
 *
 * <p>Layouts follow {@link ActivationMaps}: a 2D grid's cell values are H rows by W columns, {@code [p * W + l]}
 * for cell p of grid layer l + 1; a 3D grid's are layers of 28x28 sheets. Pixel saliency is 28x28, with respect to
 * the pixel's brightness in [0, 1] (before normalisation).
 *
 * @param pixels          the image as the model sees it: 784 brightnesses in [0, 1]
 * @param probabilities   softmax of the logits, per class
 * @param logits          the logits
 * @param activations     every grid cell's activation
 * @param saliencyClass   the class whose logit the saliency differentiates
 * @param cellSaliency    d logit[saliencyClass] / d activation, per cell, in the layout of {@code activations}
 * @param pixelSaliency   d logit[saliencyClass] / d pixel brightness, 784 values
 */
public record ImageProbe(float[] pixels, double[] probabilities, double[] logits, ActivationMaps activations,
                         int saliencyClass, ActivationMaps cellSaliency, float[] pixelSaliency) {

    /** The class with the highest probability. */
    public int predicted() {
        int best = 0;
        for (int c = 1; c < probabilities.length; c++) {
            if (probabilities[c] > probabilities[best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * Probes {@code pixels} (784 brightnesses in [0, 1]) with the parameters of a model of configuration
     * {@code config}; the saliency is that of class {@code saliencyClass}, or of the predicted class when it is
     * negative.
     */
    public static ImageProbe of(RunConfig config, Parameters parameters, float[] pixels, int saliencyClass) {
        if (pixels.length != RunConfig.IMAGE_SIZE) {
            throw new IllegalArgumentException("a probe takes " + RunConfig.IMAGE_SIZE + " pixels, got "
                    + pixels.length);
        }
        if (saliencyClass >= RunConfig.CLASSES) {
            throw new IllegalArgumentException("class " + saliencyClass + " is not one of the "
                    + RunConfig.CLASSES);
        }
        Net net = new Net(config, parameters);
        Pass pass = net.forward(pixels);
        double[] probabilities = softmax(pass.logits);
        ImageProbe draft = new ImageProbe(pixels.clone(), probabilities, pass.logits, null, 0, null, null);
        int cls = saliencyClass < 0 ? draft.predicted() : saliencyClass;
        Backward back = net.backward(pass, cls);
        return new ImageProbe(pixels.clone(), probabilities, pass.logits, net.maps(pass.a, 0),
                cls, net.maps(back.ga, 0), back.pixels);
    }

    static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int c = 0; c < p.length; c++) {
            p[c] = Math.exp(logits[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < p.length; c++) {
            p[c] /= sum;
        }
        return p;
    }

    /** Activations a[l][p] for l = 0..W (0: what enters the grid) and pre-activations z[l][p], and the logits. */
    record Pass(double[][] a, double[][] z, double[] logits) {
    }

    /** d logit / d a[l][p] for l = 0..W, and d logit / d pixel. */
    record Backward(double[][] ga, float[] pixels) {
    }

    /** The model's equations over a parameter snapshot, in double precision. */
    static final class Net {
        private final RunConfig config;
        private final boolean dense;
        private final int cells, layers, rows, cols, radius;
        private final Activation activation;
        private final Normalization normalization;
        private final float[] wIn, bIn, gw, gb, wOut, bOut;

        Net(RunConfig config, Parameters p) {
            this.config = config;
            dense = !config.is3d();
            rows = dense ? 1 : RunConfig.SHEET;
            cols = dense ? config.height() : RunConfig.SHEET;
            cells = rows * cols;
            layers = dense ? config.width() : config.layers();
            radius = (config.kernel() - 1) / 2;
            activation = config.activation();
            normalization = config.normalization();
            wIn = dense ? p.data(Parameters.IN_WEIGHT) : null;
            bIn = dense ? p.data(Parameters.IN_BIAS) : null;
            gw = p.data(Parameters.GRID_WEIGHT);
            gb = p.data(Parameters.GRID_BIAS);
            wOut = p.data(Parameters.OUT_WEIGHT);
            bOut = p.data(Parameters.OUT_BIAS);
            if (gw.length != layers * cells || wOut.length != RunConfig.CLASSES * cells) {
                throw new IllegalArgumentException("parameters of another grid than " + config.gridText());
            }
        }

        Pass forward(float[] pixels) {
            double[][] a = new double[layers + 1][cells];
            double[][] z = new double[layers + 1][cells];
            double[] x = inputs(pixels);
            for (int p = 0; p < cells; p++) {
                if (dense) {
                    double s = bIn[p];
                    for (int m = 0; m < x.length; m++) {
                        s += (double) wIn[p * x.length + m] * x[m];
                    }
                    a[0][p] = s;
                } else {
                    a[0][p] = x[p];
                }
            }
            for (int l = 1; l <= layers; l++) {
                int base = (l - 1) * cells;
                for (int p = 0; p < cells; p++) {
                    double s = gb[base + p];
                    int i = p / cols, j = p % cols;
                    for (int ii = Math.max(0, i - radius); ii <= Math.min(rows - 1, i + radius); ii++) {
                        for (int jj = Math.max(0, j - radius); jj <= Math.min(cols - 1, j + radius); jj++) {
                            int q = ii * cols + jj;
                            s += (double) gw[base + q] * a[l - 1][q];
                        }
                    }
                    z[l][p] = s;
                    a[l][p] = activation.apply(s);
                }
            }
            double[] logits = new double[RunConfig.CLASSES];
            for (int c = 0; c < logits.length; c++) {
                double s = bOut[c];
                for (int p = 0; p < cells; p++) {
                    s += (double) wOut[c * cells + p] * a[layers][p];
                }
                logits[c] = s;
            }
            return new Pass(a, z, logits);
        }

        /** The gradient of logit {@code cls} back through the grid (the weight of a window is its source's). */
        Backward backward(Pass pass, int cls) {
            double[][] ga = new double[layers + 1][cells];
            for (int p = 0; p < cells; p++) {
                ga[layers][p] = wOut[cls * cells + p];
            }
            for (int l = layers; l >= 1; l--) {
                int base = (l - 1) * cells;
                for (int p = 0; p < cells; p++) {
                    double gz = ga[l][p] * activation.derivative(pass.z[l][p]);
                    if (gz == 0) {
                        continue;
                    }
                    int i = p / cols, j = p % cols;
                    for (int ii = Math.max(0, i - radius); ii <= Math.min(rows - 1, i + radius); ii++) {
                        for (int jj = Math.max(0, j - radius); jj <= Math.min(cols - 1, j + radius); jj++) {
                            int q = ii * cols + jj;
                            ga[l - 1][q] += gw[base + q] * gz;
                        }
                    }
                }
            }
            float[] pixels = new float[RunConfig.IMAGE_SIZE];
            double perPixel = 1 / normalization.std();
            for (int m = 0; m < pixels.length; m++) {
                double gx;
                if (dense) {
                    gx = 0;
                    for (int p = 0; p < cells; p++) {
                        gx += (double) wIn[p * pixels.length + m] * ga[0][p];
                    }
                } else {
                    gx = ga[0][m];
                }
                pixels[m] = (float) (gx * perPixel);
            }
            return new Backward(ga, pixels);
        }

        /** Brightness to input: the normalisation the training data went through. */
        double[] inputs(float[] pixels) {
            double[] x = new double[pixels.length];
            for (int m = 0; m < x.length; m++) {
                x[m] = (pixels[m] - (double) normalization.mean()) / normalization.std();
            }
            return x;
        }

        /** Grid layers 1..W of per-layer cell values as one map in {@link ActivationMaps}' layout. */
        ActivationMaps maps(double[][] perLayer, int epoch) {
            float[] values = new float[layers * cells];
            for (int l = 1; l <= layers; l++) {
                for (int p = 0; p < cells; p++) {
                    int at = dense ? p * layers + (l - 1) : (l - 1) * cells + p;
                    values[at] = (float) perLayer[l][p];
                }
            }
            return dense ? new ActivationMaps(epoch, 1, cells, layers, values)
                    : new ActivationMaps(epoch, 1, true, layers, rows, cols, values);
        }
    }
}
