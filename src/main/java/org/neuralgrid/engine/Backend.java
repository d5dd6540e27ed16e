package org.neuralgrid.engine;

import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.Dataset;
import org.neuralgrid.model.Parameters;

/**
 * Where the maths of a NeuralGrid runs. The training loop ({@link Trainer}) talks only to this interface, so a
 * backend keeps data, parameters, gradients and optimizer state wherever suits it (Java arrays, device memory)
 * and hands metrics back only when asked: once per epoch, or at the streaming rate.
 *
 * <p>A backend is used from one thread at a time; it may use more threads inside. What every backend promises
 * (the contract suite {@code BackendContract} holds each backend to it):
 * <ul>
 * <li>a new backend holds {@code ModelLayout.initial(config)} and a fresh optimizer state (step 0, zero moments);</li>
 * <li>parameters and optimizer state go in and out as copies; another layout is refused with an
 *     IllegalArgumentException naming the tensor, and nothing of it is taken;</li>
 * <li>work before {@link #upload} or after {@link #close} is an IllegalStateException; a batch outside the
 *     epoch's order, or gradients of no samples, an IllegalArgumentException;</li>
 * <li>a class without samples gets mean and std maps of zeros; closing twice is harmless;</li>
 * <li>the same seed and calls give the same bits every time.</li>
 * </ul>
 */
public interface Backend extends AutoCloseable {

    /** "java", "opencl", ... */
    String name();

    /** The device in words, e.g. "CPU, 2 threads, 512-bit vectors". */
    String device();

    /** How the work is cut for this model on this device (an OpenCL backend's kernel build options), or "". */
    default String tuning() {
        return "";
    }

    /** Takes the training, validation and test sets; called once, before anything else. */
    void upload(DataSplit data);

    /**
     * Replaces the training images with other pixels of the same images (an epoch's augmented copy: the same count
     * and labels as uploaded), for the epochs from the next {@link #beginEpoch} on.
     */
    void setTrainImages(Dataset images);

    void setParameters(Parameters parameters);

    /** A copy of the current parameters. */
    Parameters parameters();

    void setOptimizerState(OptimizerState state);

    OptimizerState optimizerState();

    /** Starts an epoch: {@code order} lists training-sample indices; batch b is order[b*batch, (b+1)*batch). */
    void beginEpoch(int[] order);

    /**
     * Forward, backward and one Adam step on batch {@code batch} of the current epoch's order, with the
     * configuration's label smoothing and (AdamW's decoupled) weight decay.
     */
    void trainStep(int batch, float learningRate);

    /** Loss and accuracy summed over the batches trained since {@link #beginEpoch}. */
    TrainMetrics trainMetrics();

    /**
     * Mean loss (plain cross-entropy, even when training smooths its labels) and accuracy on the whole validation
     * or test set; an empty set gives NaN for both.
     */
    Evaluation evaluate(EvalSet set);

    /**
     * Per-class mean and population standard deviation of every grid cell's activation, in one pass: for each
     * class c, over the test samples {@code samplesPerClass[c]} (entries &lt; 0 are ignored). The standard
     * deviation merges per-chunk squared deviations (Chan et al.), never E[a^2] - E[a]^2, so a small spread
     * around a large mean keeps its digits.
     */
    ClassMaps activationMaps(int epoch, int[][] samplesPerClass);

    /** The gradient of the mean loss over the given training samples, without changing any state. */
    Parameters gradients(int[] samples);

    @Override
    void close();
}
