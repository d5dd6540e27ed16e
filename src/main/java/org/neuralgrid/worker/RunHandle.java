package org.neuralgrid.worker;

/** A run that trains somewhere: a {@link TrainingJob} in this process, or a run handed to a worker node. */
interface RunHandle {
    String id();

    /** Asks the run to stop at its next batch; the first reason given sticks. */
    void requestStop(StopReason reason);

    /** The reason the run was asked to stop, or null. */
    StopReason stopReason();
}
