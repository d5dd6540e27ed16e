package org.neuralgrid.engine;

import org.neuralgrid.model.BackendSpec;

/**
 * A device a run can use, as the CLI and the dashboard list it.
 *
 * @param spec      the --backend value that picks it ("java", "opencl:1"; a backend with no device at all is listed
 *                  once, unavailable, under its own name)
 * @param name      the device in words
 * @param available whether a run can use it
 * @param note      what it is, or why it cannot be used
 * @param room      what it holds at once, for packing several runs onto it
 */
public record Device(BackendSpec spec, String name, boolean available, String note, Room room) {

    /**
     * What a device holds at once.
     *
     * @param gpu         whether it is a GPU (runs share it by memory) rather than a CPU (runs share its cores)
     * @param memoryBytes the memory its runs live in: a GPU's global memory, the JVM's heap for a CPU
     * @param cores       its compute cores for a CPU, 0 for a GPU
     */
    public record Room(boolean gpu, long memoryBytes, int cores) {
        /** The CPU this JVM runs on. */
        public static Room hostCpu() {
            return new Room(false, Runtime.getRuntime().maxMemory(), Runtime.getRuntime().availableProcessors());
        }
    }

    /** A device on the host's CPU. */
    public Device(BackendSpec spec, String name, boolean available, String note) {
        this(spec, name, available, note, Room.hostCpu());
    }
}
