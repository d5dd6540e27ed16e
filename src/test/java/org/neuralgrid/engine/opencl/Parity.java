package org.neuralgrid.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.neuralgrid.engine.BestEpoch;
import org.neuralgrid.engine.EvalSet;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.engine.Backend;
import org.neuralgrid.engine.EpochMetrics;
import org.neuralgrid.engine.Evaluation;
import org.neuralgrid.engine.GradientParity;
import org.neuralgrid.engine.OptimizerState;
import org.neuralgrid.engine.Trainer;
import org.neuralgrid.engine.TrainingListener;
import org.neuralgrid.engine.cpu.CpuBackend;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.Tensor;

/** Helpers for comparing the OpenCL backend with the Java one. */
final class Parity {
    private Parity() {
    }

    static RunConfig config(int h, int w, int k, Activation a, int batch) {
        return ConfigBuilder.grid(h, w).kernel(k).activation(a).batch(batch).backend("opencl").build();
    }

    /** A 3D grid of 28x28 sheets on OpenCL. */
    static RunConfig config3d(int layers, int k, Activation a, int batch) {
        return config(1, 1, k, a, batch).as3d(layers);
    }

    /** n sample indices spread over a dataset of count samples, out of order. */
    static int[] spread(int n, int count) {
        int[] samples = new int[n];
        for (int i = 0; i < n; i++) {
            samples[i] = (i * 7) % count;
        }
        return samples;
    }

    /** The gradient of the loss over the given samples of ds (as training and test set). */
    static Parameters gradients(Backend b, Dataset ds, int[] samples) {
        b.upload(new DataSplit(ds, ds));
        return b.gradients(samples);
    }

    /** The metrics of every epoch of a whole run on the backend, which is closed afterwards. */
    static List<EpochMetrics> train(RunConfig c, Backend backend, DataSplit data) {
        List<EpochMetrics> epochs = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onEpoch(EpochMetrics m, BestEpoch best) {
                epochs.add(m);
            }
        };
        try (backend) {
            backend.upload(data);
            new Trainer(c, backend, data, recorder, Trainer.Checkpoints.NONE).train(1, BestEpoch.NONE, () -> false);
        }
        return epochs;
    }

    /** Both backends evaluate every sample of ds: the same loss within 1e-5 relative, accuracy within a sample. */
    static void assertEvaluationsMatch(RunConfig c, OpenClDevice device, Dataset ds) {
        try (CpuBackend cpu = new CpuBackend(c); OpenClBackend gpu = new OpenClBackend(c, device)) {
            cpu.upload(new DataSplit(ds, ds));
            gpu.upload(new DataSplit(ds, ds));
            Evaluation a = cpu.evaluate(EvalSet.TEST), b = gpu.evaluate(EvalSet.TEST);
            assertEquals(a.loss(), b.loss(), 1e-5 * a.loss());
            assertEquals(a.accuracy(), b.accuracy(), 1.0 / ds.count() + 1e-12);
            assertEquals(ds.count(), b.samples());
        }
    }

    /** Largest |a-b| relative to the largest |b| of the tensor (as CpuBackendTest measures). */
    static double relativeError(float[] actual, float[] expected) {
        return GradientParity.relativeError(actual, expected);
    }

    /** Every tensor of {@code actual} within {@code tolerance} relative error of {@code expected}. */
    static void assertClose(Parameters expected, Parameters actual, double tolerance, String what) {
        for (Tensor t : expected.tensors()) {
            double err = relativeError(actual.data(t.name()), t.data());
            assertTrue(err < tolerance, what + ": " + t.name() + " relative error " + err);
        }
    }

    static void assertMomentsClose(OptimizerState expected, OptimizerState actual) {
        assertEquals(expected.step(), actual.step(), "step");
        assertClose(expected.firstMoment(), actual.firstMoment(), 1e-4, "first moment");
        assertClose(expected.secondMoment(), actual.secondMoment(), 1e-4, "second moment");
    }
}
