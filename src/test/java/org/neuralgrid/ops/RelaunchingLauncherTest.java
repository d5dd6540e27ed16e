package org.neuralgrid.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar neuralgrid.jar} without {@code --add-modules jdk.incubator.vector} starts a second JVM that has
 * it and runs the server there. That child never outlives its launcher: killed with SIGKILL, the launcher takes the
 * child with it within 10 s and the port is free again; SIGTERM to the launcher ends both with exit code 0. The
 * child runs with signal chaining (libjsig.so preloaded), so that an OpenCL driver cannot take its signals.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RelaunchingLauncherTest {
    private static final Duration CHILD_EXIT = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    @Test
    void theServerChildEndsByItselfWhenItsLauncherIsKilledAndThePortIsFreeAgain() throws Exception {
        try (ServerProcess launcher = ServerProcess.launch(temp.resolve("data"), temp.resolve("logs"), List.of(),
                false)) {
            launcher.awaitHealthy();
            List<ProcessHandle> children = launcher.descendants();
            assertFalse(children.isEmpty(), "the launcher relaunched a JVM with the Vector API module");
            String maps = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(
                    children.get(0).pid()), "maps"));
            assertTrue(maps.contains("/libjsig.so"), "the server JVM runs with signal chaining (libjsig.so)");
            launcher.kill9();
            List<ProcessHandle> alive = awaitGone(children);
            assertEquals(List.of(), describe(alive), "the server child still runs " + CHILD_EXIT.toSeconds()
                    + " s after its launcher was killed\n" + launcher.output());
            assertTrue(awaitFree(launcher.port()), "port " + launcher.port() + " is still held");
        }
    }

    @Test
    void sigtermToTheLauncherEndsItAndItsServerChildWithExitCode0() throws Exception {
        try (ServerProcess launcher = ServerProcess.launch(temp.resolve("data"), temp.resolve("logs"), List.of(),
                false)) {
            launcher.awaitHealthy();
            List<ProcessHandle> children = launcher.descendants();
            assertFalse(children.isEmpty(), "the launcher relaunched a JVM with the Vector API module");
            launcher.term();
            Optional<Integer> exit = launcher.awaitExit(CHILD_EXIT);
            assertTrue(exit.isPresent(), "the launcher still runs 10 s after SIGTERM\n" + launcher.output());
            assertEquals(0, exit.get(), "the launcher's exit code after SIGTERM\n" + launcher.output());
            assertEquals(List.of(), describe(awaitGone(children)), "the server child outlived its launcher");
            assertTrue(awaitFree(launcher.port()), "port " + launcher.port() + " is still held");
            launcher.assertNoStackTrace();
        }
    }

    /** Waits up to 10 s for the processes to end; returns those still alive. */
    private static List<ProcessHandle> awaitGone(List<ProcessHandle> processes) throws InterruptedException {
        long deadline = System.nanoTime() + CHILD_EXIT.toNanos();
        List<ProcessHandle> alive = processes;
        while (System.nanoTime() < deadline) {
            alive = processes.stream().filter(ProcessHandle::isAlive).collect(Collectors.toList());
            if (alive.isEmpty()) {
                break;
            }
            Thread.sleep(50);
        }
        return alive;
    }

    /** A process that ended may leave its socket closing for a moment: give the port two seconds. */
    private static boolean awaitFree(int port) throws InterruptedException {
        for (int i = 0; i < 40; i++) {
            if (ServerProcess.portIsFree(port)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static List<String> describe(List<ProcessHandle> processes) {
        return processes.stream().map(p -> "pid " + p.pid() + " " + p.info().command().orElse("?"))
                .collect(Collectors.toList());
    }
}
