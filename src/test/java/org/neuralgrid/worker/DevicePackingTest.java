package org.neuralgrid.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralgrid.engine.Device;
import org.neuralgrid.model.BackendSpec;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.DatasetKind;
import org.neuralgrid.model.RunConfig;

/** Which runs share a device: GPUs by memory, the CPU by cores, all under the ceiling. */
class DevicePackingTest {
    private static final long GIB = 1L << 30;
    private static final BackendSpec GPU = BackendSpec.parse("opencl:0");
    private static final BackendSpec POCL = BackendSpec.parse("opencl:1");
    private static final long HEAP = 64 * GIB;

    private static List<Device> devices(long gpuBytes, int cores) {
        return List.of(
                new Device(BackendSpec.JAVA, "CPU", true, "", new Device.Room(false, HEAP, cores)),
                new Device(GPU, "H200", true, "GPU", new Device.Room(true, gpuBytes, 0)),
                new Device(POCL, "PoCL", true, "CPU", new Device.Room(false, HEAP, cores)));
    }

    /** auto places on the GPU, as the catalog would. */
    private static DevicePacking packing(long gpuBytes, int cores, int ceiling) {
        return new DevicePacking(devices(gpuBytes, cores), spec -> spec.isAuto() ? GPU : spec, ceiling);
    }

    private static RunConfig on(String backend) {
        return ConfigBuilder.grid(64, 64).set("backend", BackendSpec.parse(backend)).set("dataset", DatasetKind.SYNTHETIC)
                .set("threads", 0).build();
    }

    /** Starts configs in order while they fit; how many started. */
    private static int started(DevicePacking p, RunConfig config, int asked) {
        List<DevicePacking.Placed> running = new ArrayList<>();
        for (int i = 0; i < asked && p.belowCeiling(running.size()); i++) {
            DevicePacking.Placed next = p.place(config);
            if (!p.fits(next, running)) {
                break;
            }
            running.add(next);
        }
        return running.size();
    }

    @Test
    void aGpuTakesRunsWhileTheirEstimatedMemoryFitsInItsShare() {
        RunConfig run = on("opencl:0");
        long bytes = run.estimatedBytes();
        long memory = (long) Math.ceil(3.5 * bytes / DevicePacking.MEMORY_SHARE);

        assertEquals(3, started(packing(memory, 2, DevicePacking.AUTO), run, 10), "3 fit in 80 % of 3.5 runs' worth");
    }

    @Test
    void aGpuTakesAtMost32RunsUnderAutoAndTheCeilingWhenOneIsGiven() {
        RunConfig small = on("opencl:0");
        assertEquals(DevicePacking.MAX_RUNS_PER_GPU, started(packing(1000 * GIB, 2, DevicePacking.AUTO), small, 100));
        assertEquals(5, started(packing(1000 * GIB, 2, 5), small, 100));
    }

    @Test
    void aRunTooLargeToShareStillStartsOnAFreeGpu() {
        RunConfig run = on("opencl:0");
        DevicePacking p = packing(run.estimatedBytes() / 2, 2, DevicePacking.AUTO);

        assertEquals(1, started(p, run, 3), "alone it starts (and fails with the device's own message if too big)");
    }

    @Test
    void autoRunsGoWhereTheCatalogPlacesThem() {
        DevicePacking p = packing(10 * GIB, 2, DevicePacking.AUTO);
        assertEquals("opencl:0", p.place(on("auto")).lane());
        assertEquals(p.place(on("java")).lane(), p.place(on("opencl:1")).lane(), "both use the host's cores");
    }

    @Test
    void theCpuTakesOneRunPerCoreUnderAutoAndTheCeilingWhenOneIsGiven() {
        assertEquals(2, started(packing(0, 2, DevicePacking.AUTO), on("java"), 10));
        assertEquals(3, started(packing(0, 3, DevicePacking.AUTO), on("java"), 10));
        assertEquals(1, started(packing(0, 1, DevicePacking.AUTO), on("java"), 10));
        assertEquals(4, started(packing(0, 2, 4), on("java"), 10), "an explicit ceiling packs the CPU as asked");
    }

    @Test
    void aCpuRunLeavingItsThreadsToTheServerGetsTheCoresSharedAmongTheRunsTrainingWithIt() {
        DevicePacking p = packing(10 * GIB, 8, DevicePacking.AUTO);
        RunConfig cpu = on("java");
        DevicePacking.Placed next = p.place(cpu);

        assertEquals(8, p.cpuThreads(cpu, next, List.of(), 1), "alone: every core");
        assertEquals(4, p.cpuThreads(cpu, next, List.of(), 2), "one more waiting behind it");
        assertEquals(1, p.cpuThreads(cpu, next, List.of(), 100), "a sweep: one core each");
        assertEquals(2, p.cpuThreads(cpu, next, List.of(next, next, next), 1), "three training beside it");
        assertEquals(3, p.cpuThreads(cpu.with("threads", 3), next, List.of(), 100), "a count of its own stays");
        RunConfig gpu = on("opencl:0");
        assertEquals(0, p.cpuThreads(gpu, p.place(gpu), List.of(), 100), "a GPU run is not the CPU's business");
    }

    @Test
    void theCpuTakesRunsOnlyWhileTheirEstimatedMemoryFitsInTheHeap() {
        RunConfig run = on("java");
        List<Device> small = List.of(new Device(BackendSpec.JAVA, "CPU", true, "",
                new Device.Room(false, (long) Math.ceil(2.5 * run.estimatedBytes() / DevicePacking.MEMORY_SHARE), 16)));

        assertEquals(2, started(new DevicePacking(small, spec -> spec, 8), run, 8), "2 fit in 80 % of 2.5 runs' worth");
    }

    @Test
    void javaAndOpenClCpuRunsCountAgainstTheSameCores() {
        DevicePacking p = packing(10 * GIB, 2, DevicePacking.AUTO);
        List<DevicePacking.Placed> running = List.of(p.place(on("java")));

        assertFalse(p.fits(p.place(on("opencl:1")), List.of(running.get(0), running.get(0))));
        assertTrue(p.fits(p.place(on("opencl:0")), running), "the GPU is another device");
    }

    @Test
    void theCeilingCountsRunsOnAllDevices() {
        DevicePacking p = packing(10 * GIB, 16, 2);
        assertTrue(p.belowCeiling(1));
        assertFalse(p.belowCeiling(2));
    }

    @Test
    void sharingCountsTheOtherRunsOfTheSameLane() {
        DevicePacking p = packing(10 * GIB, 2, DevicePacking.AUTO);
        DevicePacking.Placed a = p.place(on("opencl:0")), b = p.place(on("auto")), c = p.place(on("java"));
        List<DevicePacking.Placed> running = List.of(a, b, c);

        assertEquals(1, DevicePacking.sharing(a, running));
        assertEquals(0, DevicePacking.sharing(c, running));
        assertEquals(0, DevicePacking.sharing(null, running));
    }
}
