package org.neuralgrid.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.RunConfig;

/** How kernels are cut into work-groups, per model and device. No device needed. */
class GridGeometryTest {
    static final DeviceLimits H100 = new DeviceLimits(1024, 48 << 10, 20L << 30, 80L << 30, 132);
    static final DeviceLimits POCL = new DeviceLimits(4096, 512 << 10, 4L << 30, 16L << 30, 2);
    static final DeviceLimits SMALL_LOCAL = new DeviceLimits(256, 16 << 10, 1L << 30, 4L << 30, 8);
    static final DeviceLimits OTHER_GPU = new DeviceLimits(256, 64 << 10, 4L << 30, 16L << 30, 60);

    static GridGeometry geometry(int h, int w, int batch, DeviceLimits d) {
        RunConfig c = Parity.config(h, w, 3, Activation.SIN, batch);
        return GridGeometry.of(c, d, d == POCL, new FlatLayout(c), Tuning.AUTO);
    }

    @Test
    void shortColumnsShareAWorkGroupAndTallOnesSpreadOverItsWorkItems() {
        GridGeometry g13 = geometry(13, 4, 256, H100);
        assertEquals(9, g13.samplesPerGroup());   // 117 cells
        assertEquals(128, g13.gridWg());
        assertEquals(1, g13.cellsPerItem());
        GridGeometry g128 = geometry(128, 128, 256, H100);
        assertEquals(1, g128.samplesPerGroup());
        assertEquals(128, g128.gridWg());
        assertEquals(256, g128.groups(256), "a work-group per sample: enough to fill 132 compute units");
        GridGeometry g4096 = geometry(4096, 2, 256, H100);
        assertEquals(256, g4096.gridWg());
        assertEquals(16, g4096.cellsPerItem());
        assertFalse(g4096.globalScratch(), "a 4096-cell column fits 48 KiB of local memory");
    }

    @Test
    void summationOrderIsTheSameOnEveryGpu() {
        for (int h : new int[] {13, 37, 128, 300, 4096}) {
            GridGeometry a = geometry(h, 16, 300, H100), b = geometry(h, 16, 300, OTHER_GPU);
            assertEquals(a.samplesPerGroup(), b.samplesPerGroup());
            assertEquals(a.slots(300), b.slots(300));
        }
    }

    @Test
    void aCpuDeviceGetsFewerLongerWorkGroups() {
        GridGeometry cpu = geometry(128, 128, 256, POCL);
        assertEquals(8, cpu.samplesPerGroup());
        assertEquals(256, cpu.gridWg());
        assertEquals(4, cpu.cellsPerItem());
        assertTrue(cpu.buildOptions().contains("-D CPU_DEVICE"));
        assertFalse(geometry(128, 128, 256, H100).buildOptions().contains("CPU_DEVICE"));
    }

    @Test
    void columnsTooTallForLocalMemoryGoToGlobalMemory() {
        assertTrue(geometry(4096, 2, 8, SMALL_LOCAL).globalScratch());
        assertTrue(geometry(4096, 2, 8, SMALL_LOCAL).buildOptions().contains("-D GLOBAL_SCRATCH"));
        assertFalse(geometry(128, 2, 8, SMALL_LOCAL).globalScratch());
    }

    @Test
    void smallGemmsAreTiledFinerOnDevicesWithManyComputeUnits() {
        assertEquals(4, GridGeometry.gemmResults(256, 128, 16, 2));
        assertEquals(1, GridGeometry.gemmResults(256, 128, 16, 132));
        assertEquals(2, GridGeometry.gemmResults(2048, 128, 16, 132));
        assertEquals(4, GridGeometry.gemmResults(8192, 128, 16, 132));
        assertTrue(geometry(128, 128, 256, H100).buildOptions().contains("-D GR_IN=1"));
        assertTrue(geometry(128, 128, 256, POCL).buildOptions().contains("-D GR_IN=4"));
    }

    @Test
    void partialGradientSlotsStayWithinTheirMemoryBudget() {
        GridGeometry big = geometry(4096, 4096, 256, H100);
        assertEquals(8, big.maxSlots());   // 8 x 64 MiB = 512 MiB
        assertEquals(8, big.slots(256));
        assertEquals(19, geometry(64, 64, 37, H100).slots(37), "2 samples a work-group");
    }

    @Test
    void aThreeDimensionalGridRunsOneFramedSheetAWorkGroupWithoutAnInputLayer() {
        RunConfig c = Parity.config3d(64, 5, Activation.SIN, 256);
        GridGeometry g = GridGeometry.of(c, H100, false, new FlatLayout(c), Tuning.AUTO);
        assertEquals(784, g.cells());
        assertEquals(1, g.samplesPerGroup());
        assertEquals(256, g.gridWg());
        assertEquals(4, g.cellsPerItem());
        assertFalse(g.globalScratch(), "two 32x32 framed sheets fit 48 KiB of local memory");
        String options = g.buildOptions();
        for (String d : new String[] {"-D CELLS=784 ", "-D SR=28 ", "-D SC=28 ", "-D RR=2 ", "-D RC=2 ", "-D W=64 ",
                "-D GRID_3D"}) {
            assertTrue(options.contains(d), d + " in " + options);
        }
        assertFalse(options.contains("OFF_WIN"), "no input layer: " + options);
        RunConfig widest = Parity.config3d(4, 55, Activation.SIN, 256);
        assertTrue(GridGeometry.of(widest, H100, false, new FlatLayout(widest), Tuning.AUTO).globalScratch(),
                "two 82x82 framed sheets (54 KiB) go to global memory");
        String flat = geometry(128, 16, 256, H100).buildOptions();
        assertTrue(flat.contains("-D SR=1 -D SC=128 -D RR=0 -D RC=1") && !flat.contains("GRID_3D"), flat);
    }

    @Test
    void aBenchmarkCanCutTheGridKernelsOtherwiseThroughSystemProperties() {
        RunConfig c = Parity.config3d(64, 3, Activation.SIN, 256);
        System.setProperty("neuralgrid.opencl.maxGridWg", "1024");
        try {
            GridGeometry g = GridGeometry.of(c, H100, false, new FlatLayout(c), Tuning.fromSystemProperties());
            assertEquals(800, g.gridWg(), "a work-item per cell of the 784");
            assertEquals(1, g.cellsPerItem());
            System.setProperty("neuralgrid.opencl.maxGridWg", "1000");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Tuning::fromSystemProperties);
            assertTrue(e.getMessage().contains("neuralgrid.opencl.maxGridWg must be a multiple of 32"), e.getMessage());
            System.setProperty("neuralgrid.opencl.maxGridWg", "many");
            e = assertThrows(IllegalArgumentException.class, Tuning::fromSystemProperties);
            assertTrue(e.getMessage().contains("must be an integer, got 'many'"), e.getMessage());
        } finally {
            System.clearProperty("neuralgrid.opencl.maxGridWg");
        }
        assertEquals(Tuning.AUTO, Tuning.fromSystemProperties());
        assertEquals(256, GridGeometry.of(c, H100, false, new FlatLayout(c), Tuning.AUTO).gridWg());
    }
}
