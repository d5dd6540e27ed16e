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
 */
public record Device(BackendSpec spec, String name, boolean available, String note) {
}
