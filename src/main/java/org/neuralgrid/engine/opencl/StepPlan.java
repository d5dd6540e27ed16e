package org.neuralgrid.engine.opencl;

import java.util.List;
import java.util.Locale;
import org.neuralgrid.model.RunConfig;

/**
 * The kernel launches of each operation, in order; nothing here waits for the device. A training step of a 2D
 * grid is nine launches:
 * <pre>
 *   input_forward   a0 = x W_in^T + b_in            tiled GEMM, pixels gathered from bytes by index
 *   grid_forward    z_1..z_W, a_W                  all W layers in one launch
 *   output_loss     logits, loss, dL/dlogits, dL/da_W
 *   batch_metrics   loss sum, correct count -> one slot
 *   grid_backward   dL/da_0, partial grid gradients  all W layers in one launch
 *   grid_grads      grid.weight/bias gradient = sum of the partials in slot order
 *   output_grads    linear_out gradients
 *   input_grads     linear_in gradients             tiled GEMM
 *   adam            every parameter
 * </pre>
 * A 3D grid has no input layer: sheet_input copies the images in as the first sheet, and there is no
 * input_grads, so eight launches.
 */
final class StepPlan {
    static final List<String> SOURCES = List.of("kernels/common.cl", "kernels/grid.cl", "kernels/dense.cl",
            "kernels/adam.cl");

    private final GridGeometry g;
    private final ModelBuffers model;
    private final ClKernel input, gridForward, outputLoss, batchMetrics, gridBackward, gridGrads,
            outputGrads, adam, classMap;
    private final ClKernel inputGrads;   // null for a 3D grid

    StepPlan(ClProgram program, GridGeometry g, ModelBuffers model) {
        this.g = g;
        this.model = model;
        int gemm = g.gemmThreads() * g.gemmThreads();
        input = g.threeD() ? kernel(program, "sheet_input", g.linearWg()) : kernel(program, "input_forward", gemm);
        gridForward = kernel(program, "grid_forward", g.gridWg());
        outputLoss = kernel(program, "output_loss", g.outWg());
        batchMetrics = kernel(program, "batch_metrics", g.metWg());
        gridBackward = kernel(program, "grid_backward", g.gridWg());
        gridGrads = kernel(program, "grid_grads", g.linearWg());
        outputGrads = kernel(program, "output_grads", g.linearWg());
        inputGrads = g.threeD() ? null : kernel(program, "input_grads", gemm);
        adam = kernel(program, "adam", g.linearWg());
        classMap = kernel(program, "class_map", g.linearWg());
    }

    private static ClKernel kernel(ClProgram program, String name, int workGroup) {
        ClKernel k = program.kernel(name);
        long max = k.maxWorkGroupSize();
        if (max < workGroup) {
            throw new OpenClException(String.format(Locale.ROOT,
                    "kernel %s needs work-groups of %d but the device runs it with at most %d",
                    name, workGroup, max), org.jocl.CL.CL_INVALID_WORK_GROUP_SIZE, null);
        }
        return k;
    }

    /** a_0 and the grid of samples idx[offset, offset+n) of a dataset; with storeZ every layer's z is kept. */
    void forward(Workspace ws, DatasetBuffers data, ClBuffer idx, int offset, int n, boolean storeZ) {
        inputLayer(ws, data, idx, offset, n);
        gridForward.args().mem(model.params).mem(ws.a0).mem(ws.z).mem(ws.aOut).mem(ws.scratch).i(n)
                .i(storeZ ? 1 : 0)
                .run((long) g.groups(n) * g.gridWg(), g.gridWg());
    }

    /** a_0: the images themselves as the first sheet (3D), or x W_in^T + b_in (2D). */
    private void inputLayer(Workspace ws, DatasetBuffers data, ClBuffer idx, int offset, int n) {
        if (g.threeD()) {
            input.args().mem(data.pixels).mem(idx).mem(model.lut).i(offset).i(n).mem(ws.a0)
                    .run((long) n * RunConfig.IMAGE_SIZE, g.linearWg());
            return;
        }
        input.args().mem(model.params).mem(data.pixels).mem(idx).mem(model.lut).i(offset).i(n).mem(ws.a0)
                .run2d((long) (g.cells() + g.inputTile() - 1) / g.inputTile() * g.gemmThreads(),
                        (long) (n + g.inputTile() - 1) / g.inputTile() * g.gemmThreads(), g.gemmThreads());
    }

    /**
     * Logits, per-sample loss (against labels smoothed by {@code smoothing}) and correctness; with scale &gt; 0 also
     * dL/dlogits * scale and dL/da_W.
     */
    void loss(Workspace ws, DatasetBuffers data, ClBuffer idx, int offset, int n, float scale, float smoothing) {
        outputLoss.args().mem(model.params).mem(ws.aOut).mem(data.labels).mem(idx).i(offset).f(scale).f(smoothing)
                .mem(ws.loss).mem(ws.correct).mem(ws.gl).mem(ws.ga)
                .run((long) n * g.outWg(), g.outWg());
    }

    /** The loss sum and correct count of the n samples of the last {@link #loss} into a slot. */
    void metrics(Workspace ws, int n, MetricSlots slots, int slot) {
        batchMetrics.args().mem(ws.loss).mem(ws.correct).i(n).mem(slots.loss).mem(slots.correct).i(slot)
                .run(g.metWg(), g.metWg());
    }

    /** The gradient of every parameter into model.grad, from the state {@link #forward} and {@link #loss} left. */
    void backward(Workspace ws, DatasetBuffers data, ClBuffer idx, int offset, int n) {
        int slots = g.slots(n);
        gridBackward.args().mem(model.params).mem(ws.a0).mem(ws.z).mem(ws.ga).mem(ws.partW).mem(ws.partB)
                .mem(ws.scratch).i(n).i(slots)
                .run((long) slots * g.gridWg(), g.gridWg());
        gridGrads.args().mem(ws.partW).mem(ws.partB).mem(model.grad).i(slots)
                .run(2L * g.w() * g.cells(), g.linearWg());
        outputGrads.args().mem(ws.aOut).mem(ws.gl).mem(model.grad).i(n)
                .run((long) RunConfig.CLASSES * g.cells() + RunConfig.CLASSES, g.linearWg());
        if (inputGrads != null) {
            inputGrads(ws, data, idx, offset, n);
        }
    }

    /** linear_in's gradients from dL/da_0, which grid_backward left in ws.ga (2D only). */
    private void inputGrads(Workspace ws, DatasetBuffers data, ClBuffer idx, int offset, int n) {
        int cols = RunConfig.IMAGE_SIZE + 1;   // the pixels and a column of ones for the bias
        inputGrads.args().mem(ws.ga).mem(data.pixels).mem(idx).mem(model.lut).i(offset).i(n).mem(model.grad)
                .run2d((long) (cols + g.gradTile() - 1) / g.gradTile() * g.gemmThreads(),
                        (long) (g.cells() + g.gradTile() - 1) / g.gradTile() * g.gemmThreads(), g.gemmThreads());
    }

    /** One Adam step of every parameter with the gradient in model.grad; decay = 1 - lr * weightDecay (AdamW). */
    void adam(float stepSize, float bc2Sqrt, float decay) {
        int count = g.layout().size();
        adam.args().mem(model.params).mem(model.m).mem(model.v).mem(model.grad).i(count).f(stepSize).f(bc2Sqrt)
                .f(decay)
                .run(count, g.linearWg());
    }

    /**
     * Adds the activations of the n samples of the last {@link #forward} (with storeZ) to class cls's map, and
     * their squared deviations to its squared-deviation map, which holds those of the class's prior samples.
     */
    void classMap(Workspace ws, int n, int prior, int cls) {
        classMap.args().mem(ws.z).mem(model.maps).mem(model.squaredDeviations).i(n).i(prior).i(cls)
                .run((long) g.w() * g.cells(), g.linearWg());
    }
}
