package org.neuralgrid.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.jocl.CL;
import org.jocl.CLException;
import org.junit.jupiter.api.Test;
import org.neuralgrid.engine.Backend;
import org.neuralgrid.engine.catalog.BackendCatalog;
import org.neuralgrid.engine.BackendUnavailableException;
import org.neuralgrid.engine.Device;
import org.neuralgrid.model.BackendSpec;
import org.neuralgrid.model.Activation;

/** Choosing a device for --backend auto|opencl|opencl:N, and the messages when there is none. No device needed. */
class OpenClDevicesTest {
    static final OpenClDevice POCL_CPU = new OpenClDevice(0, "pthread-cpu", "PoCL", "CPU", 1L << 34,
            "Portable Computing Language", null, null);
    static final OpenClDevice H100 = new OpenClDevice(1, "NVIDIA H100", "NVIDIA Corporation", "GPU", 80L << 30,
            "NVIDIA CUDA", null, null);
    static final OpenClDevices.Scan NONE = OpenClDevices.Scan.none("no OpenCL platform is installed");
    static final OpenClDevices.Scan CPU_THEN_GPU = new OpenClDevices.Scan(List.of(POCL_CPU, H100), null);
    static final OpenClDevices.Scan CPU_ONLY = new OpenClDevices.Scan(List.of(POCL_CPU), null);

    @Test
    void autoFallsBackToJavaWhenOpenClIsAbsent() {
        assertEquals(Optional.empty(), OpenClDevices.select(BackendSpec.parse("auto"), NONE));
    }

    @Test
    void autoTakesAGpuButNeverACpuDevice() {
        assertEquals(Optional.of(H100), OpenClDevices.select(BackendSpec.parse("auto"), CPU_THEN_GPU));
        assertEquals(Optional.empty(), OpenClDevices.select(BackendSpec.parse("auto"), CPU_ONLY));
    }

    @Test
    void openclTakesTheFirstGpuEvenWhenAnotherPlatformIsListedFirst() {
        assertEquals(Optional.of(H100), OpenClDevices.select(BackendSpec.parse("opencl"), CPU_THEN_GPU));
    }

    @Test
    void openclTakesAnyDeviceWhenThereIsNoGpu() {
        assertEquals(Optional.of(POCL_CPU), OpenClDevices.select(BackendSpec.parse("opencl"), CPU_ONLY));
    }

    @Test
    void openclWithIndexTakesThatDeviceOfTheFlatList() {
        assertEquals(Optional.of(POCL_CPU), OpenClDevices.select(BackendSpec.parse("opencl:0"), CPU_THEN_GPU));
        assertEquals(Optional.of(H100), OpenClDevices.select(BackendSpec.parse("opencl:1"), CPU_THEN_GPU));
    }

    @Test
    void openclWithoutAnyDeviceFailsSayingWhy() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> OpenClDevices.select(BackendSpec.parse("opencl"), NONE));
        assertTrue(e.getMessage().contains("no OpenCL platform is installed")
                && e.getMessage().contains("--backend java"), e.getMessage());
    }

    @Test
    void aMissingDeviceIndexFailsListingTheDevicesFound() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> OpenClDevices.select(BackendSpec.parse("opencl:99"), CPU_THEN_GPU));
        assertTrue(e.getMessage().contains("no OpenCL device 99") && e.getMessage().contains("found 2")
                && e.getMessage().contains("NVIDIA H100"), e.getMessage());
    }

    @Test
    void backendsOpenOfOpencl99FailsClearlyOnThisMachine() {
        var config = Parity.config(8, 2, 3, Activation.SIN, 4).withBackend(BackendSpec.parse("opencl:99"));
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> {
            try (Backend b = BackendCatalog.standard().open(config)) {
                b.name();
            }
        });
        assertTrue(e.getMessage().contains("opencl:99") && e.getMessage().contains("no OpenCL device 99"),
                e.getMessage());
    }

    @Test
    void theDeviceListStartsWithJavaAndNamesEveryOpenClDeviceByItsIndex() {
        List<Device> devices = BackendCatalog.standard().devices();
        assertEquals("java", devices.get(0).spec().toString());
        List<OpenClDevice> found = OpenClDevices.list();
        if (found.isEmpty()) {
            assertEquals("opencl", devices.get(1).spec().toString());
            assertEquals(false, devices.get(1).available());
        } else {
            for (int i = 0; i < found.size(); i++) {
                assertEquals("opencl:" + i, devices.get(i + 1).spec().toString());
                assertEquals(found.get(i).name(), devices.get(i + 1).name());
            }
        }
    }

    @Test
    void openClErrorsNameTheClErrorAndWhatToTry() {
        OpenClException e = OpenClException.wrap("a training step",
                new CLException("CL_OUT_OF_RESOURCES", CL.CL_OUT_OF_RESOURCES));
        assertEquals("CL_OUT_OF_RESOURCES", e.errorName());
        assertTrue(e.getMessage().startsWith("OpenCL failed while a training step: CL_OUT_OF_RESOURCES")
                && e.getMessage().contains("smaller batch"), e.getMessage());
        OpenClException alloc = OpenClException.wrap("uploading",
                new CLException("x", CL.CL_MEM_OBJECT_ALLOCATION_FAILURE));
        assertTrue(alloc.getMessage().contains("CL_MEM_OBJECT_ALLOCATION_FAILURE"), alloc.getMessage());
    }
}
