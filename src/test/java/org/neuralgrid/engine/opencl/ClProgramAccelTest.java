package org.neuralgrid.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jocl.CL;
import org.junit.jupiter.api.Test;

/** Building kernel programs: the log of a failed build reaches the exception. Needs an OpenCL device. */
@NeedsOpenCl
class ClProgramAccelTest {

    @Test
    void aKernelThatDoesNotCompileReportsItsBuildLog() {
        OpenClDevice device = OpenClTestDevice.require();
        String broken = """
                __kernel void broken(__global float* out) {
                    out[get_global_id(0)] = undeclared_thing * 2.0f;
                }
                """;
        try (ClContext cl = ClContext.open(device)) {
            OpenClBuildException e = assertThrows(OpenClBuildException.class,
                    () -> ClProgram.build(cl, "broken.cl", List.of(broken), "-D X=1").close());
            assertTrue(e.buildLog().contains("undeclared_thing"), e.buildLog());
            assertTrue(e.getMessage().contains("broken.cl") && e.getMessage().contains("undeclared_thing"),
                    e.getMessage());
            assertEquals(CL.CL_BUILD_PROGRAM_FAILURE, e.status());
            assertEquals("CL_BUILD_PROGRAM_FAILURE", e.errorName());
        }
    }

    @Test
    void theShippedKernelsBuildFromTheClasspathAndRunAKernel() {
        OpenClDevice device = OpenClTestDevice.require();
        var config = Parity.config(13, 2, 3, org.neuralgrid.model.Activation.SIN, 4);
        try (ClContext cl = ClContext.open(device)) {
            GridGeometry g = GridGeometry.of(config, cl, Tuning.AUTO);
            try (ClProgram p = ClProgram.fromResources(cl, StepPlan.SOURCES, g.buildOptions());
                 ClBuffer params = cl.buffer("p", 64 * 4); ClBuffer m = cl.buffer("m", 64 * 4);
                 ClBuffer v = cl.buffer("v", 64 * 4); ClBuffer grad = cl.buffer("g", 64 * 4)) {
                float[] ones = new float[64];
                java.util.Arrays.fill(ones, 1f);
                params.write(ones);
                grad.write(ones);
                m.zero();
                v.zero();
                // a first Adam step with lr 0.1 moves every parameter by 0.1 against its gradient's sign (no decay)
                p.kernel("adam").args().mem(params).mem(m).mem(v).mem(grad).i(64).f(0.1f / 0.1f)
                        .f((float) Math.sqrt(1 - 0.999)).f(1f).run(64, g.linearWg());
                float[] out = new float[64];
                params.read(out);
                assertEquals(0.9f, out[63], 1e-6f);
            }
        }
    }
}
