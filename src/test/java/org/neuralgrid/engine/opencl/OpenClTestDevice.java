package org.neuralgrid.engine.opencl;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;

/**
 * The device the accelerator tests run on: the one "--backend opencl" picks (a GPU when there is one). Without
 * any, the tests are skipped, unless NEURALGRID_REQUIRE_OPENCL=1 is set (on a machine that must have a device),
 * in which case they fail.
 */
public final class OpenClTestDevice {
    private OpenClTestDevice() {
    }

    public static OpenClDevice require() {
        OpenClDevices.Scan scan = OpenClDevices.scan();
        Optional<OpenClDevice> device = scan.devices().stream().filter(OpenClDevice::isGpu).findFirst()
                .or(() -> scan.devices().stream().findFirst());
        if (device.isEmpty()) {
            String why = "no OpenCL device: " + scan.problem();
            if ("1".equals(System.getenv("NEURALGRID_REQUIRE_OPENCL"))) {
                fail(why + " (NEURALGRID_REQUIRE_OPENCL=1)");
            }
            assumeTrue(false, why + "; skipped (set NEURALGRID_REQUIRE_OPENCL=1 to fail instead)");
        }
        return device.get();
    }
}
