package org.neuralgrid.worker;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.neuralgrid.engine.Device;
import org.neuralgrid.model.BackendSpec;
import org.neuralgrid.model.RunConfig;

/**
 * Which runs may train at the same time: each run is placed on the device its backend would open, and a device
 * takes another run while it has room for it.
 * <ul>
 * <li>A device has room while the runs on it, with the new one, fit in {@value #MEMORY_SHARE} of its memory by
 *     {@link RunConfig#estimatedBytes} (a GPU's own memory; the JVM's heap for the CPU), so that a sweep never
 *     fails for lack of memory. A run too large to share still starts when its device is free.</li>
 * <li>A GPU takes at most {@value #MAX_RUNS_PER_GPU} runs (auto) or the ceiling's number.</li>
 * <li>The CPU (the Java backend and OpenCL CPU devices alike: they share the same cores) takes one run per core
 *     under auto, or the ceiling's number when one is given; a Java run that leaves its thread count to the server
 *     gets the cores divided among the CPU runs training with it ({@link #cpuThreads}). Measured on 2 cores: a
 *     sweep trains 15 % faster as two runs of one thread each than as one run of two threads after another
 *     (BENCHMARKS.md, "Sweeps"). The thread count never changes what a run computes.</li>
 * </ul>
 * With a ceiling ({@code --max-concurrent N}) no more than N runs train in all; {@link #AUTO} leaves it to the
 * devices.
 */
final class DevicePacking {
    static final int AUTO = 0;
    /** The share of a device's memory its packed runs may hold; the rest is the driver's, or the server's. */
    static final double MEMORY_SHARE = 0.8;
    /** Runs on one GPU at most under auto: one command queue each. */
    static final int MAX_RUNS_PER_GPU = 32;
    /** The lane of every device that is not a GPU. */
    private static final String HOST_CPU = "cpu";

    /** A run that trains: where, and how many bytes it holds there. */
    record Placed(String lane, long bytes) {
    }

    private final Map<BackendSpec, Device> devices;
    private final Function<BackendSpec, BackendSpec> place;
    private final int ceiling;

    /**
     * @param devices the devices found
     * @param place   the device spec a run's backend spec trains on (auto resolved)
     * @param ceiling the most runs at once, or {@link #AUTO}
     */
    DevicePacking(List<Device> devices, Function<BackendSpec, BackendSpec> place, int ceiling) {
        this.devices = devices.stream().collect(Collectors.toMap(Device::spec, d -> d, (a, b) -> a));
        this.place = place;
        this.ceiling = ceiling;
    }

    /** Whether another run may start at all, with {@code running} training. */
    boolean belowCeiling(int running) {
        return ceiling == AUTO || running < ceiling;
    }

    /** Where a configuration would train, and what it holds there. */
    Placed place(RunConfig config) {
        Device d = devices.get(place.apply(config.backend()));
        boolean gpu = d != null && d.room().gpu();
        return new Placed(gpu ? d.spec().toString() : HOST_CPU, config.estimatedBytes());
    }

    /** Whether a run placed at {@code next} fits beside the runs that train. */
    boolean fits(Placed next, Collection<Placed> running) {
        List<Placed> beside = running.stream().filter(p -> p.lane().equals(next.lane())).toList();
        if (beside.isEmpty()) {
            return true;
        }
        boolean cpu = next.lane().equals(HOST_CPU);
        int most = cpu ? cpuRuns() : ceiling == AUTO ? MAX_RUNS_PER_GPU : ceiling;
        long memory = cpu ? hostMemory() : devices.get(BackendSpec.parse(next.lane())).room().memoryBytes();
        long bytes = next.bytes() + beside.stream().mapToLong(Placed::bytes).sum();
        return beside.size() < most && bytes <= MEMORY_SHARE * memory;
    }

    private long hostMemory() {
        return devices.values().stream().filter(d -> !d.room().gpu()).mapToLong(d -> d.room().memoryBytes()).max()
                .orElse(Runtime.getRuntime().maxMemory());
    }

    /** Runs at once on the CPU. */
    int cpuRuns() {
        return ceiling != AUTO ? ceiling : cores();
    }

    /**
     * The threads for a run about to start at {@code next}: on the CPU, for a run that leaves its thread count to
     * the server (0), the cores shared among the CPU runs that will train together (those training, this one and
     * those waiting behind it, up to {@link #cpuRuns}); otherwise the run's own count (0: the backend decides).
     *
     * @param waiting CPU runs in the queue, this one included
     */
    int cpuThreads(RunConfig config, Placed next, Collection<Placed> running, int waiting) {
        if (config.threads() > 0 || !next.lane().equals(HOST_CPU)) {
            return config.threads();
        }
        long training = running.stream().filter(p -> p.lane().equals(HOST_CPU)).count();
        int together = (int) Math.max(1, Math.min(cpuRuns(), training + waiting));
        return Math.max(1, cores() / together);
    }

    private int cores() {
        return devices.values().stream().filter(d -> !d.room().gpu()).mapToInt(d -> d.room().cores()).max()
                .orElse(1);
    }

    /** How many lanes runs can wait for: the host's cores and each GPU. */
    int lanes() {
        return 1 + (int) devices.values().stream().filter(d -> d.room().gpu()).count();
    }

    /** Whether a placed run trains on the host's cores. */
    static boolean onCpu(Placed p) {
        return p.lane().equals(HOST_CPU);
    }

    /** How many runs share a lane with the given one, itself not counted. */
    static int sharing(Placed p, Collection<Placed> running) {
        return p == null ? 0 : (int) running.stream().filter(o -> o.lane().equals(p.lane())).count() - 1;
    }
}
