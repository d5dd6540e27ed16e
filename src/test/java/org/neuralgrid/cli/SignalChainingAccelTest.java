package org.neuralgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.neuralgrid.engine.opencl.NeedsOpenCl;
import org.neuralgrid.engine.opencl.OpenClTestDevice;

/**
 * The OpenCL driver's kernel compiler (LLVM, in PoCL as in NVIDIA's driver) puts its own handlers on the signals
 * the JVM keeps for itself; a JVM without its handlers dies of its next internal signal with no report (issue 11's
 * crashes of {@code check} on the H200). Shown here on PoCL with {@code check} in a JVM of its own: without signal
 * chaining the JVM reports its SIGSEGV handler taken; started through the launcher it runs with libjsig.so, which
 * keeps the JVM's handlers in place.
 */
@NeedsOpenCl
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SignalChainingAccelTest {

    @Test
    void withoutChainingTheKernelCompilerTakesTheJvmsSignalsAndCheckSaysSo() throws Exception {
        OpenClTestDevice.require();
        Map<String, String> env = new HashMap<>();
        env.put(SignalChaining.SWITCH, "off");
        env.put("POCL_KERNEL_CACHE", "0"); // compile for real, as a first run on a machine does
        Run r = check(true, env);
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("WARNING: native code replaced the JVM's signal handlers (SIGSEGV"),
                "check names the taken handlers:\n" + r.output());
    }

    @Test
    void throughTheLauncherTheJvmRunsWithSignalChainingAndKeepsItsHandlers() throws Exception {
        OpenClTestDevice.require();
        Map<String, String> env = new HashMap<>();
        env.put("POCL_KERNEL_CACHE", "0");
        Run r = check(false, env);
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("JVM signal handlers: chained through libjsig.so"), r.output());
    }

    record Run(int code, String output) {
    }

    /** {@code check --backend opencl --samples 8} in a JVM of its own: directly, or through the launcher. */
    private static Run check(boolean direct, Map<String, String> env) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (direct) {
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "check", "--backend", "opencl", "--samples", "8"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove(Main.RELAUNCHED);
        pb.environment().remove("LD_PRELOAD");
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(4, TimeUnit.MINUTES), "check did not end");
            return new Run(p.exitValue(), out);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
