package org.neuralgrid.engine.opencl;

import java.util.Locale;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;

/**
 * How the kernels are cut into work-groups for one model on one device, and the build options that tell them.
 *
 * <p>A grid layer is a sheet of C cells: one row of H cells in a 2D grid (windows of k along it), a 28 x 28 image
 * in a 3D grid (k x k windows). The same grid kernels run both; only the sheet's shape and the window's radius
 * across rows (0 in 2D) differ.
 *
 * <p>Grid kernels: a work-group owns S whole samples of C cells (on a GPU S = 128 / C for short grids, else 1), so
 * 128..256 work-items hold a group's cells and each grid launch has n / S work-groups: for a batch of 256 that is
 * 256 groups of 128 work-items at H = 128, enough to fill an H100's 132 compute units. Each work-item owns CPT
 * cells (1 up to C = 256; 4 for a 3D sheet; 16 at H = 4096) and keeps their state in registers across layers.
 * The scratch sheets of products and gradients live in local memory (2*S*(H+k-1) floats: 32 KiB at H = 4096;
 * 2*(28+k-1)^2 floats for a 3D sheet: 7 KiB at k = 3); where the device has less, the same kernels use global
 * memory instead. A CPU device gets S = 1024 / C: fewer, longer work-groups suit a CPU OpenCL (PoCL runs a
 * work-group as loops between barriers; this was a quarter faster there).
 *
 * <p>So a 3D grid is fused over all its layers exactly as a 2D one: one launch forward, one backward, each work-
 * group holding one sample's whole sheet in local memory. A sheet of a few KiB always fits, so nothing larger
 * than a sample had to be split; several samples a group would only shrink a batch's 256 work-groups.
 *
 * <p>S, the number of partial-gradient slots and so every summation order depend only on the model, the number
 * of samples and whether the device is a CPU: on one device a seed gives the same numbers on every run.
 *
 * @param cells           C, cells of a grid layer
 * @param sheetRows       a layer as a sheet of sheetRows x sheetCols cells (1 x H in 2D, 28 x 28 in 3D)
 * @param w               grid layers
 * @param r               the window's radius (k - 1) / 2: along a 2D layer, across both sides of a 3D sheet
 * @param threeD          a 3D grid: the image is the first sheet, no input dense layer
 * @param samplesPerGroup S
 * @param gridWg          work-items per grid work-group
 * @param cellsPerItem    CPT = ceil(S*C / gridWg)
 * @param outWg           work-items per sample in output_loss (a power of two)
 * @param metWg           work-items of batch_metrics (a power of two)
 * @param gemmThreads     GEMM work-groups are gemmThreads x gemmThreads work-items
 * @param inputResults    each computing inputResults^2 results in input_forward (4, 2 or 1: the largest that
 *                        still gives a work-group per compute unit, so a small GEMM spreads over a big GPU)
 * @param gradResults     the same for input_grads
 * @param linearWg        work-group size of the one-work-item-per-value kernels
 * @param maxSlots        partial-gradient slots of grid_backward at most
 * @param globalScratch   the grid kernels keep their scratch sheets in global memory
 * @param cpuDevice       the device is a CPU (the kernels then avoid calls in hot loops, see common.cl)
 */
record GridGeometry(int cells, int sheetRows, int sheetCols, int w, int r, boolean threeD, String activation,
                    int samplesPerGroup, int gridWg, int cellsPerItem, int outWg, int metWg, int gemmThreads,
                    int inputResults, int gradResults, int linearWg, int maxSlots, boolean globalScratch,
                    boolean cpuDevice, FlatLayout layout) {

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
        int layerCells = c.cellsPerLayer();
        int maxWg = (int) Math.min(1024, device.maxWorkGroupSize());
        int target = tuning.targetCells() > 0 ? tuning.targetCells() : cpuDevice ? CPU_TARGET_CELLS : TARGET_CELLS;
        int s = layerCells >= target ? 1 : target / layerCells;
        int groupCells = s * layerCells;
        int wg = Math.min(tuning.maxGridWg() > 0 ? tuning.maxGridWg() : MAX_GRID_WG, roundUp(groupCells, 32));
        if (wg > maxWg) {
            wg = maxWg >= 32 ? maxWg / 32 * 32 : maxWg;
        }
        int cpt = (groupCells + wg - 1) / wg;
        int outWg = Math.min(floorPow2(maxWg), Math.min(256, Math.max(32, ceilPow2(layerCells))));
        int metWg = Math.min(floorPow2(maxWg), 256);
        int gemmThreads = maxWg >= 256 ? 16 : maxWg >= 64 ? 8 : 4;
        int inputResults = tuning.gemmResults() > 0 ? tuning.gemmResults()
                : gemmResults(c.batch(), layerCells, gemmThreads, device.computeUnits());
        int gradResults = tuning.gemmResults() > 0 ? tuning.gemmResults()
                : gemmResults(layerCells, RunConfig.IMAGE_SIZE + 1, gemmThreads, device.computeUnits());
        int linearWg = Math.min(64, floorPow2(maxWg));
        long perSlot = 4L * c.depth() * layerCells;
        int maxSlots = (int) Math.max(1, Math.min(MAX_SLOTS, PARTIAL_BYTES / perSlot));
        int r = (c.kernel() - 1) / 2;
        int framed = framedSheet(c.sheetRows(), c.sheetCols(), c.is3d() ? r : 0, r);
        long localNeeded = 4L * Math.max(forwardScratch(s, framed), backwardScratch(s, layerCells, framed))
                + 1024;
        boolean global = tuning.globalScratch() || localNeeded > device.localMemBytes();
        return new GridGeometry(layerCells, c.sheetRows(), c.sheetCols(), c.depth(), r, c.is3d(),
                c.activation().name(), s, wg, cpt, outWg, metWg, gemmThreads, inputResults, gradResults, linearWg,
                maxSlots, global, cpuDevice, layout);
    }

    /** Floats of a sheet in its frame of zeros: rowRadius rows above and below, colRadius columns either side. */
    private static int framedSheet(int rows, int cols, int rowRadius, int colRadius) {
        return (rows + 2 * rowRadius) * (cols + 2 * colRadius);
    }

    /** Floats of a forward work-group's scratch: two framed sheets per sample. */
    private static int forwardScratch(int s, int framed) {
        return 2 * s * framed;
    }

    /** Floats of a backward work-group's scratch: dL/dz in its frame, and dw, db per sample when S &gt; 1. */
    private static int backwardScratch(int s, int cells, int framed) {
        return s * framed + (s > 1 ? 2 * s * cells : 0);
    }

    /** The window's radius across the rows of a sheet: none in a 2D grid, whose layer is one row. */
    int rowRadius() {
        return threeD ? r : 0;
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
        int framed = framedSheet(sheetRows, sheetCols, rowRadius(), r);
        return Math.max((long) groups(n) * forwardScratch(samplesPerGroup, framed),
                (long) slots(n) * backwardScratch(samplesPerGroup, cells, framed));
    }

    int inputTile() {
        return gemmThreads * inputResults;
    }

    int gradTile() {
        return gemmThreads * gradResults;
    }

    String buildOptions() {
        String offsets = String.format(Locale.ROOT, " -D OFF_GW=%d -D OFF_GB=%d -D OFF_WOUT=%d -D OFF_BOUT=%d",
                layout.offset(Parameters.GRID_WEIGHT), layout.offset(Parameters.GRID_BIAS),
                layout.offset(Parameters.OUT_WEIGHT), layout.offset(Parameters.OUT_BIAS));
        String input = threeD ? " -D GRID_3D" : String.format(Locale.ROOT, " -D OFF_WIN=%d -D OFF_BIN=%d",
                layout.offset(Parameters.IN_WEIGHT), layout.offset(Parameters.IN_BIAS));
        return String.format(Locale.ROOT,
                "-D CELLS=%d -D SR=%d -D SC=%d -D RR=%d -D RC=%d -D W=%d -D S=%d -D WG=%d -D CPT=%d -D ACT_%s"
                        + " -D OUT_WG=%d -D MET_WG=%d -D GT=%d -D GR_IN=%d -D GR_GRAD=%d",
                cells, sheetRows, sheetCols, rowRadius(), r, w, samplesPerGroup, gridWg, cellsPerItem, activation,
                outWg, metWg, gemmThreads, inputResults, gradResults)
                + offsets + input + (globalScratch ? " -D GLOBAL_SCRATCH" : "") + (cpuDevice ? " -D CPU_DEVICE" : "");
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
