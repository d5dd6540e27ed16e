package org.neuralgrid.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.neuralgrid.data.DataSplit;
import org.neuralgrid.data.SyntheticData;
import org.neuralgrid.engine.Backend;
import org.neuralgrid.engine.EvalSet;
import org.neuralgrid.engine.Evaluation;
import org.neuralgrid.engine.GradientParity;
import org.neuralgrid.engine.TrainMetrics;
import org.neuralgrid.engine.catalog.BackendCatalog;
import org.neuralgrid.model.BackendSpec;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.RunConfig;

/**
 * A long-lived process (the dashboard) opens an OpenCL backend for every run and {@code neuralgrid check} a dozen at
 * once: opening and closing them, training and taking gradients leaks nothing. In one JVM, 200 OpenCL backends
 * (small 2D and 3D grids in turn) are opened, given data and closed, and every fourth of them trains a short run
 * (a few Adam steps, gradients, an evaluation) beside a Java backend open at the same time, as {@code check}
 * does: 50 runs. The process's open file descriptors and resident memory after the first 50 backends and at
 * the end are within 10 % of each other, give or take a little noise.
 */
@NeedsOpenCl
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class OpenClSoakAccelTest {
    private static final int BACKENDS = 200;
    /**
     * Backends opened before the first measurement: the JIT's code and malloc's arenas grow over the first few
     * dozen (on PoCL 164 MiB resident after 20, 179 after 50, 184 after 200, 211 after 800 and flat from 550 on:
     * no growth per backend).
     */
    private static final int WARM_UP = 50;
    /** Every fourth backend trains: 50 runs. */
    private static final int TRAIN_EVERY = 4;
    private static final int STEPS = 3;
    private static final int FD_SLACK = 8;
    private static final long RSS_SLACK = 16L << 20;

    @Test
    void twoHundredBackendsAndFiftyRunsLeaveFileDescriptorsAndMemoryAsTheyWere() throws Exception {
        OpenClDevice device = OpenClTestDevice.require();
        BackendCatalog catalog = BackendCatalog.standard();
        RunConfig grid2d = ConfigBuilder.grid(13, 4).batch(16).samples(64, 32).backend("opencl").build().validated();
        RunConfig grid3d = ConfigBuilder.sheets(2).batch(16).samples(64, 32).backend("opencl").build().validated();
        DataSplit data = SyntheticData.generate(64, 32, 5);
        int[] order = new int[64];
        for (int i = 0; i < order.length; i++) {
            order[i] = (i * 37) % 64;
        }
        int[] samples = {3, 17, 29, 40, 41, 63};

        long fdBefore = 0;
        long rssBefore = 0;
        long heapBefore = 0;
        int runs = 0;
        long start = System.nanoTime();
        long warmedUp = start;
        for (int i = 1; i <= BACKENDS; i++) {
            RunConfig c = i % 2 == 0 ? grid3d : grid2d;
            if (i % TRAIN_EVERY == 0) {
                trainAShortRun(catalog, c, data, order, samples);
                runs++;
            } else {
                try (Backend cl = catalog.open(c)) {
                    assertEquals("opencl", cl.name());
                    cl.upload(data);
                }
            }
            if (i == WARM_UP) {
                settle();
                fdBefore = openFileDescriptors();
                rssBefore = residentBytes();
                heapBefore = heapCommitted();
                warmedUp = System.nanoTime();
            }
        }
        long end = System.nanoTime();
        settle();
        long fdAfter = openFileDescriptors();
        long rssAfter = residentBytes();
        long heapAfter = heapCommitted();

        String report = String.format(Locale.ROOT, "%d OpenCL backends on %s (%d of them training beside a Java "
                        + "backend) in %.1f s (%.0f ms each after the warm-up); open files %d -> %d; resident "
                        + "%.1f -> %.1f MiB (Java heap committed %.1f -> %.1f MiB)", BACKENDS, device.name(), runs,
                (end - start) / 1e9, (end - warmedUp) / 1e6 / (BACKENDS - WARM_UP), fdBefore, fdAfter,
                rssBefore / 1048576.0, rssAfter / 1048576.0, heapBefore / 1048576.0, heapAfter / 1048576.0);
        System.out.println("OpenClSoakAccelTest: " + report);
        assertEquals(BACKENDS / TRAIN_EVERY, runs);
        assertTrue(fdAfter <= fdBefore * 1.10 + FD_SLACK, "open file descriptors grew by more than 10 % (+ "
                + FD_SLACK + " for noise) from backend " + WARM_UP + " to " + BACKENDS + ": " + report);
        assertTrue(rssAfter <= rssBefore * 1.10 + RSS_SLACK, "resident memory grew by more than 10 % (+ "
                + (RSS_SLACK >> 20) + " MiB for noise) from backend " + WARM_UP + " to " + BACKENDS + ": " + report);
    }

    /**
     * A few Adam steps, the training metrics, a test evaluation and the gradients of some samples on the OpenCL
     * backend, with a Java backend open beside it whose gradients they must match, as {@code check} compares them.
     */
    private static void trainAShortRun(BackendCatalog catalog, RunConfig c, DataSplit data, int[] order,
                                       int[] samples) {
        try (Backend java = catalog.open(c.withBackend(BackendSpec.JAVA)); Backend cl = catalog.open(c)) {
            GradientParity parity = GradientParity.measure(c, java, cl, data, samples);
            assertTrue(parity.maxError() <= 1e-4, c.gridText() + " gradients differ from Java's: " + parity.errors());
            cl.beginEpoch(order);
            for (int b = 0; b < STEPS; b++) {
                cl.trainStep(b, 1e-3f);
            }
            TrainMetrics m = cl.trainMetrics();
            assertEquals(STEPS * c.batch(), m.samples());
            assertTrue(Double.isFinite(m.lossSum()), "a finite training loss");
            Evaluation test = cl.evaluate(EvalSet.TEST);
            assertTrue(Double.isFinite(test.loss()), "a finite test loss");
            cl.gradients(samples);
        }
    }

    /** Lets the collector and any finalizing native handles settle before a measurement. */
    private static void settle() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }

    private static long openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** VmRSS of /proc/self/status, in bytes. */
    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    private static long heapCommitted() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }
}
