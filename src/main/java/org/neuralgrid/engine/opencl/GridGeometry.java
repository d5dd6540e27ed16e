package org.neuralgrid.engine.opencl;

import java.util.Locale;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;

/**
 * How the kernels are cut into work-groups for one model on one device, and the build options that tell them.
 *
 * <p>Grid kernels: a work-group owns S whole samples of H cells (on a GPU S = 128 / H for short grids, else 1), so
 * 128..256 work-items hold a group's cells and each grid launch has n / S work-groups: for a batch of 256 that is
 * 256 groups of 128 work-items at H = 128, enough to fill an H100's 132 compute units. Each work-item owns CPT
 * cells (1 up to H = 256; 16 at H = 4096) and keeps their state in registers across layers. The column of
 * neighbours lives in local memory (2*S*(H+k-1) floats: 32 KiB at H = 4096); where the device has less, the same
 * kernels use global memory instead. A CPU device gets S = 1024 / H: fewer, longer work-groups suit a CPU OpenCL
 * (PoCL runs a work-group as loops between barriers; this was a quarter faster there).
 *
 * <p>S, the number of partial-gradient slots and so every summation order depend only on the model, the number
 * of samples and whether the device is a CPU: on one device a seed gives the same numbers on every run.
 *
 * @param samplesPerGroup S
 * @param gridWg          work-items per grid work-group
 * @param cellsPerItem    CPT = ceil(S*H / gridWg)
 * @param outWg           work-items per sample in output_loss (a power of two)
 * @param metWg           work-items of batch_metrics (a power of two)
 * @param gemmThreads     GEMM work-groups are gemmThreads x gemmThreads work-items
 * @param inputResults    each computing inputResults^2 results in input_forward (4, 2 or 1: the largest that
 *                        still gives a work-group per compute unit, so a small GEMM spreads over a big GPU)
 * @param gradResults     the same for input_grads
 * @param linearWg        work-group size of the one-work-item-per-value kernels
 * @param maxSlots        partial-gradient slots of grid_backward at most
 * @param globalScratch   the grid kernels keep their column in global memory
 * @param cpuDevice       the device is a CPU (the kernels then avoid calls in hot loops, see common.cl)
 */
record GridGeometry(int h, int w, int r, String activation, int samplesPerGroup, int gridWg, int cellsPerItem,
                    int outWg, int metWg, int gemmThreads, int inputResults, int gradResults, int linearWg,
                    int maxSlots,
                    boolean globalScratch, boolean cpuDevice, FlatLayout layout) {

    /** Cells a grid work-group aims at on a GPU: enough work-items per group, yet many groups per batch. */
    static final int TARGET_CELLS = 128;
    /** The same on a CPU device, where groups are loops and fewer, longer ones cost less. */
    static final int CPU_TARGET_CELLS = 1024;
    static final int MAX_GRID_WG = 256;
    /** The partial-gradient slots of one buffer take at most this much memory. */
    static final long PARTIAL_BYTES = 512L << 20;
    static final int MAX_SLOTS = 256;

    /** The geometry of a model on the device of {@code cl}. */
    static GridGeometry of(RunConfig c, ClContext cl, Tuning tuning) {
        return of(c, cl.limits(), "CPU".equals(cl.device().type()), new FlatLayout(c), tuning);
    }

    static GridGeometry of(RunConfig c, DeviceLimits device, boolean cpuDevice, FlatLayout layout, Tuning tuning) {
        int h = c.height();
        int maxWg = (int) Math.min(1024, device.maxWorkGroupSize());
        int target = tuning.targetCells() > 0 ? tuning.targetCells() : cpuDevice ? CPU_TARGET_CELLS : TARGET_CELLS;
        int s = h >= target ? 1 : target / h;
        int cells = s * h;
        int wg = Math.min(MAX_GRID_WG, roundUp(cells, 32));
        if (wg > maxWg) {
            wg = maxWg >= 32 ? maxWg / 32 * 32 : maxWg;
        }
        int cpt = (cells + wg - 1) / wg;
        int outWg = Math.min(floorPow2(maxWg), Math.min(256, Math.max(32, ceilPow2(h))));
        int metWg = Math.min(floorPow2(maxWg), 256);
        int gemmThreads = maxWg >= 256 ? 16 : maxWg >= 64 ? 8 : 4;
        int inputResults = tuning.gemmResults() > 0 ? tuning.gemmResults()
                : gemmResults(c.batch(), h, gemmThreads, device.computeUnits());
        int gradResults = tuning.gemmResults() > 0 ? tuning.gemmResults()
                : gemmResults(h, RunConfig.IMAGE_SIZE + 1, gemmThreads, device.computeUnits());
        int linearWg = Math.min(64, floorPow2(maxWg));
        long perSlot = 4L * c.width() * h;
        int maxSlots = (int) Math.max(1, Math.min(MAX_SLOTS, PARTIAL_BYTES / perSlot));
        int r = (c.kernel() - 1) / 2;
        long localNeeded = 4L * Math.max(forwardScratch(s, h, r), backwardScratch(s, h, r)) + 1024;
        boolean global = tuning.globalScratch() || localNeeded > device.localMemBytes();
        return new GridGeometry(h, c.width(), r, c.activation().name(), s, wg, cpt, outWg,
                metWg, gemmThreads, inputResults, gradResults, linearWg, maxSlots, global, cpuDevice, layout);
    }

    /** Floats of a forward work-group's column: two rows of H cells between R zeros each side, per sample. */
    private static int forwardScratch(int s, int h, int r) {
        return 2 * s * (h + 2 * r);
    }

    /** Floats of a backward work-group's column: dL/dz with zeros each side, and dw, db per sample when S &gt; 1. */
    private static int backwardScratch(int s, int h, int r) {
        return s * (h + 2 * r) + (s > 1 ? 2 * s * h : 0);
    }

    /**
     * Results per work-item (per dimension) of a rows x cols GEMM: 4 when that still makes a work-group for
     * every compute unit, else 2, else 1. Only the tiling changes: every result is the same sum in the same order.
     */
    static int gemmResults(int rows, int cols, int threads, int computeUnits) {
        for (int gr = 4; gr > 1; gr /= 2) {
            long tile = (long) threads * gr;
            long groups = ((rows + tile - 1) / tile) * ((cols + tile - 1) / tile);
            if (groups >= computeUnits) {
                return gr;
            }
        }
        return 1;
    }

    /** Work-groups of the forward pass over n samples. */
    int groups(int n) {
        return (n + samplesPerGroup - 1) / samplesPerGroup;
    }

    /** Work-groups (= partial slots) of the backward pass over n samples. */
    int slots(int n) {
        return Math.min(groups(n), maxSlots);
    }

    /** Floats of global scratch the grid kernels need for n samples (1 when they use local memory). */
    long scratchFloats(int n) {
        if (!globalScratch) {
            return 1;
        }
        return Math.max((long) groups(n) * forwardScratch(samplesPerGroup, h, r),
                (long) slots(n) * backwardScratch(samplesPerGroup, h, r));
    }

    int inputTile() {
        return gemmThreads * inputResults;
    }

    int gradTile() {
        return gemmThreads * gradResults;
    }

    String buildOptions() {
        return String.format(Locale.ROOT,
                "-D H=%d -D W=%d -D R=%d -D S=%d -D WG=%d -D CPT=%d -D ACT_%s -D OUT_WG=%d -D MET_WG=%d"
                        + " -D GT=%d -D GR_IN=%d -D GR_GRAD=%d -D OFF_WIN=%d -D OFF_BIN=%d -D OFF_GW=%d -D OFF_GB=%d -D OFF_WOUT=%d"
                        + " -D OFF_BOUT=%d%s%s",
                h, w, r, samplesPerGroup, gridWg, cellsPerItem, activation, outWg, metWg, gemmThreads,
                inputResults, gradResults, layout.offset(Parameters.IN_WEIGHT), layout.offset(Parameters.IN_BIAS),
                layout.offset(Parameters.GRID_WEIGHT), layout.offset(Parameters.GRID_BIAS),
                layout.offset(Parameters.OUT_WEIGHT), layout.offset(Parameters.OUT_BIAS),
                globalScratch ? " -D GLOBAL_SCRATCH" : "", cpuDevice ? " -D CPU_DEVICE" : "");
    }

    static int roundUp(int n, int m) {
        return (n + m - 1) / m * m;
    }

    static int floorPow2(int n) {
        return Integer.highestOneBit(Math.max(1, n));
    }

    static int ceilPow2(int n) {
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }
}
