package org.neuralgrid.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neuralgrid.engine.opencl.Parity.assertClose;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.SyntheticData;
import org.neuralgrid.engine.EvalSet;
import org.neuralgrid.engine.cpu.CpuBackend;
import org.neuralgrid.model.Activation;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;

/**
 * Guard mode ({@code -Dneuralgrid.opencl.guard=true}, see {@link ClBuffer}) finds a kernel writing past the end of
 * a buffer on any device, and the models of {@code neuralgrid check}, with the kernels cut as on an H200 (what a
 * GPU gets differs from what PoCL gets: S, work-group sizes, GEMM tiles), write nothing past any buffer. Needs an
 * OpenCL device (PoCL will do).
 */
@NeedsOpenCl
class OpenClGuardAccelTest {
    /** What an NVIDIA H200 reports: 1024 work-items, 48 KiB of local memory, 132 compute units. */
    static final DeviceLimits H200 = new DeviceLimits(1024, 48 << 10, 35L << 30, 140L << 30, 132);

    private static final String OVERRUN = """
            __kernel void overrun(__global float* a, const int n, const int past) {
                const int i = get_global_id(0);
                if (i < n + past) {
                    a[i] = 1.0f;
                }
            }
            """;

    @Test
    void aKernelWritingPastABufferIsNamedWithTheBufferAndHowFar() {
        OpenClDevice device = OpenClTestDevice.require();
        try (ClContext cl = ClContext.open(device, true);
             ClProgram p = ClProgram.build(cl, "overrun.cl", List.of(OVERRUN), "");
             ClBuffer before = cl.buffer("before", 64 * 4);
             ClBuffer victim = cl.buffer("victim", 100 * 4);
             ClBuffer after = cl.buffer("after", 64 * 4)) {
            assertTrue(victim.guarded());
            // within bounds: no complaint
            p.kernel("overrun").args().mem(victim).i(100).i(0).run(128, 32);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> p.kernel("overrun").args().mem(victim).i(100).i(3).run(128, 32));
            assertTrue(e.getMessage().contains("buffer victim") && e.getMessage().contains("kernel overrun")
                    && e.getMessage().contains("from byte 0 to byte 11 past its end"), e.getMessage());
            // the buffer itself reads as usual
            float[] back = new float[100];
            victim.read(back);
            assertEquals(1f, back[99]);
        }
    }

    @Test
    void withoutGuardModeBuffersHaveTheirExactSizeAndNothingIsChecked() {
        OpenClDevice device = OpenClTestDevice.require();
        try (ClContext cl = ClContext.open(device, false);
             ClProgram p = ClProgram.build(cl, "overrun.cl", List.of(OVERRUN), "");
             ClBuffer b = cl.buffer("plain", 100 * 4)) {
            assertFalse(cl.guard());
            assertFalse(b.guarded());
            p.kernel("overrun").args().mem(b).i(100).i(0).run(128, 32);
            cl.checkGuards("nothing");   // a no-op
        }
    }

    /** The six models of {@code neuralgrid check} (CheckCommand.cases) at one batch size. */
    static List<RunConfig> checkModels(int batch) {
        return List.of(
                Parity.config(128, 8, 3, Activation.SIN, batch),
                Parity.config(64, 16, 5, Activation.TANH, batch),
                Parity.config(13, 8, 3, Activation.GELU, batch),
                Parity.config(1000, 4, 5, Activation.SIN, batch),
                Parity.config3d(16, 3, Activation.SIN, batch),
                Parity.config3d(4, 5, Activation.RELU, batch));
    }

    /**
     * What {@code neuralgrid check --samples N} runs (the gradients of N samples, N the batch), then a training
     * step, an evaluation, activation maps and the gradients of more samples than the workspace holds: the kernels
     * cut for an H200, every launch followed by a look at every buffer's guard.
     */
    @ParameterizedTest(name = "batch {0}")
    @ValueSource(ints = {256, 64})
    void theCheckModelsCutAsOnAnH200WriteNothingPastAnyBuffer(int batch) {
        OpenClDevice device = OpenClTestDevice.require();
        DataSplit data = SyntheticData.generate(batch, batch, 7);
        int[] picked = Parity.spread(batch, batch);
        for (RunConfig c : checkModels(batch)) {
            try (CpuBackend cpu = new CpuBackend(c);
                 OpenClBackend gpu = new OpenClBackend(c, device, Tuning.AUTO, H200, false, true)) {
                assertFalse(gpu.tuning().contains("CPU_DEVICE"), gpu.tuning());
                cpu.upload(data);
                gpu.upload(data);
                Parameters expected = cpu.gradients(picked);
                assertClose(expected, gpu.gradients(picked), 1e-4, c.gridText() + " gradient");
                gpu.beginEpoch(picked);
                gpu.trainStep(0, 1e-3f);
                assertEquals(batch, gpu.trainMetrics().samples());
                assertEquals(batch, gpu.evaluate(EvalSet.TEST).samples());
                int[][] perClass = new int[RunConfig.CLASSES][];
                for (int k = 0; k < perClass.length; k++) {
                    perClass[k] = new int[] {k, k + 10, -1};
                }
                gpu.activationMaps(1, perClass);
                gpu.gradients(Arrays.copyOf(picked, batch + 37));   // grows the workspace
            }
        }
    }
}
