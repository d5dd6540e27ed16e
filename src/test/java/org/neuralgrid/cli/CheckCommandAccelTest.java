package org.neuralgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuralgrid.engine.opencl.NeedsOpenCl;
import org.neuralgrid.engine.opencl.OpenClDevice;
import org.neuralgrid.engine.opencl.OpenClDevices;
import org.neuralgrid.engine.opencl.OpenClTestDevice;

/**
 * {@code neuralgrid check}: an OpenCL device against the Java backend, 2D and 3D. Needs an OpenCL device (PoCL
 * will do); skipped without one unless NEURALGRID_REQUIRE_OPENCL=1.
 */
@NeedsOpenCl
class CheckCommandAccelTest {

    static JsonNode lastLine(String out) throws Exception {
        List<String> lines = out.strip().lines().toList();
        return new ObjectMapper().readTree(lines.get(lines.size() - 1));
    }

    @Test
    void anOpenClDeviceComputesTheJavaBackendsGradientsFor2dAnd3dGrids() throws Exception {
        OpenClTestDevice.require();
        CommandLineTest.Result r = CommandLineTest.run("check", "--backend", "opencl", "--samples", "24");
        assertEquals(0, r.code(), r.out() + r.err());
        JsonNode summary = lastLine(r.out());
        assertTrue(summary.get("ok").asBoolean(), summary.toString());
        assertTrue(summary.get("device").asText().startsWith("OpenCL"), summary.toString());
        JsonNode cases = summary.get("cases");
        assertEquals(6, cases.size());
        int threeD = 0;
        for (JsonNode c : cases) {
            assertTrue(c.get("max_relative_error").asDouble() < 1e-4, c.toString());
            threeD += c.get("grid").asText().startsWith("28x28x") ? 1 : 0;
        }
        assertEquals(2, threeD, cases.toString());
        assertEquals(6, r.out().lines().filter(l -> l.endsWith("  ok")).count(), r.out());
    }

    @Test
    void aToleranceTheDeviceMissesEndsWithExitCode1() throws Exception {
        OpenClTestDevice.require();
        // float sums in another order are not bit-identical to the Java backend's
        CommandLineTest.Result r = CommandLineTest.run("check", "--backend", "opencl", "--samples", "8",
                "--tolerance", "0");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("DIFFERS"), r.out());
        assertTrue(!lastLine(r.out()).get("ok").asBoolean());
    }

    @Test
    void autoWithoutAGpuHasNothingToCompare() {
        OpenClTestDevice.require();
        assumeFalse(OpenClDevices.scan().devices().stream().anyMatch(OpenClDevice::isGpu), "auto would pick the GPU");
        CommandLineTest.Result r = CommandLineTest.run("check", "--backend", "auto", "--samples", "4");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("nothing to compare"), r.err());
    }

    @Test
    void theJavaBackendIsTheReferenceAndBadNumbersAreRefused() {
        for (String[] args : List.of(new String[] {"check", "--backend", "java"},
                new String[] {"check", "--samples", "0"}, new String[] {"check", "--tolerance", "NaN"})) {
            CommandLineTest.Result r = CommandLineTest.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }
}
