package org.neuralgrid.engine.opencl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.jocl.Sizeof;
import org.neuralgrid.model.RunConfig;

/**
 * The per-batch device buffers: what a forward pass leaves for the backward pass, and the partial gradients.
 * Up to {@code trainCapacity} samples go through a training pass (z of every layer is kept), up to
 * {@code rowCapacity} through a forward-only pass (evaluation).
 */
final class Workspace implements AutoCloseable {
    final int trainCapacity;
    final int rowCapacity;
    final ClBuffer a0;        // (rows, C) a_0, C the cells of a grid layer
    final ClBuffer aOut;      // (rows, C) a_W
    final ClBuffer ga;        // (rows, C) dL/da_W, then dL/da_0
    final ClBuffer z;         // (W, train, C) pre-activations of every grid layer
    final ClBuffer partW;     // (slots, W, C) partial grid.weight gradients
    final ClBuffer partB;     // (slots, W, C) partial grid.bias gradients
    final ClBuffer gl;        // (rows, 10) dL/dlogits
    final ClBuffer loss;      // (rows) per-sample loss
    final ClBuffer correct;   // (rows) int: arg-max == label
    final ClBuffer scratch;   // global-memory columns of the grid kernels (GLOBAL_SCRATCH), else 1 float
    final ClBuffer indices;   // (rows) int: sample lists chosen by the host (gradients(), activation maps)
    private final List<ClBuffer> all;

    Workspace(ClContext cl, GridGeometry g, int trainCapacity, int rowCapacity) {
        this.trainCapacity = trainCapacity;
        this.rowCapacity = rowCapacity;
        long f = Sizeof.cl_float;
        long rows = (long) rowCapacity * g.cells() * f;
        long slots = g.slots(trainCapacity);
        long cells = (long) g.w() * g.cells();
        long total = 3 * rows + cells * trainCapacity * f + 2 * slots * cells * f
                + g.scratchFloats(Math.max(trainCapacity, rowCapacity)) * f;
        if (total > cl.limits().globalMemBytes()) {
            throw new OpenClException(String.format(Locale.ROOT,
                    "a grid of %d layers of %d cells at batch %d needs about %d MiB of device memory for"
                            + " activations and partial gradients, more than the %d MiB of %s: use a smaller batch"
                            + " or grid",
                    g.w(), g.cells(), trainCapacity, total >> 20, cl.limits().globalMemBytes() >> 20,
                    cl.device().name()), org.jocl.CL.CL_MEM_OBJECT_ALLOCATION_FAILURE, null);
        }
        List<ClBuffer> made = new ArrayList<>();
        try {
            a0 = add(made, cl.buffer("a0", rows));
            aOut = add(made, cl.buffer("aOut", rows));
            ga = add(made, cl.buffer("ga", rows));
            z = add(made, cl.buffer("z", cells * trainCapacity * f));
            partW = add(made, cl.buffer("partial dW", slots * cells * f));
            partB = add(made, cl.buffer("partial db", slots * cells * f));
            gl = add(made, cl.buffer("dlogits", (long) rowCapacity * RunConfig.CLASSES * f));
            loss = add(made, cl.buffer("loss", (long) rowCapacity * f));
            correct = add(made, cl.buffer("correct", (long) rowCapacity * Sizeof.cl_int));
            scratch = add(made, cl.buffer("grid scratch", g.scratchFloats(Math.max(trainCapacity, rowCapacity)) * f));
            indices = add(made, cl.buffer("sample list", (long) rowCapacity * Sizeof.cl_int));
        } catch (RuntimeException e) {
            Collections.reverse(made);
            Releaser.closeAll(made.toArray(AutoCloseable[]::new));
            throw e;
        }
        Collections.reverse(made);
        this.all = List.copyOf(made);
    }

    private static ClBuffer add(List<ClBuffer> made, ClBuffer b) {
        made.add(b);
        return b;
    }

    @Override
    public void close() {
        Releaser.closeAll(all.toArray(AutoCloseable[]::new));
    }
}
