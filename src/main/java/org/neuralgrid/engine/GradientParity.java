package org.neuralgrid.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.Tensor;

/**
 * How far the gradients of one backend are from a reference backend's (the Java backend), for the same
 * parameters and samples: the check that a faster backend computes the same function (the Java backend is
 * itself checked against a double-precision reference and finite differences).
 *
 * @param config  the model and the backend compared
 * @param backend the compared backend's name ("java" where "auto" found no OpenCL GPU)
 * @param device  the compared backend's device
 * @param errors  per tensor, the largest |difference| over the largest |Java value| of the tensor
 */
public record GradientParity(RunConfig config, String backend, String device, Map<String, Double> errors) {

    /**
     * Gives both backends (fresh, holding the configuration's initial parameters) the data and compares their
     * gradients over the samples; the caller opens and closes them.
     */
    public static GradientParity measure(RunConfig config, Backend reference, Backend other, DataSplit data,
                                         int[] samples) {
        reference.upload(data);
        other.upload(data);
        Parameters expected = reference.gradients(samples);
        Parameters actual = other.gradients(samples);
        Map<String, Double> errors = new LinkedHashMap<>();
        for (Tensor t : expected.tensors()) {
            errors.put(t.name(), relativeError(actual.data(t.name()), t.data()));
        }
        return new GradientParity(config, other.name(), other.device(), errors);
    }

    /** The largest error over all tensors (NaN when a value was not finite). */
    public double maxError() {
        double max = 0;
        for (double e : errors.values()) {
            if (!(e <= max)) {
                max = e;
            }
        }
        return max;
    }

    /** Largest |actual - expected| relative to the largest |expected| (NaN when any value is not finite). */
    public static double relativeError(float[] actual, float[] expected) {
        double maxRef = 1e-12, maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs((double) actual[i] - expected[i]);
            if (!Double.isFinite(diff)) {
                return Double.NaN;
            }
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
            maxDiff = Math.max(maxDiff, diff);
        }
        return maxDiff / maxRef;
    }
}
