package org.neuralgrid.engine.opencl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clReleaseContext;

import java.util.HashMap;
import java.util.Map;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;

/**
 * One OpenCL context per device, shared by every backend open on it, each with a command queue of its own. Why
 * shared: on a GPU the commands of different contexts are time-sliced (a CUDA context each, on NVIDIA), while the
 * queues of one context can run side by side; so runs packed onto one GPU share its context. The context goes when
 * the last backend using it closes.
 */
final class SharedContexts {
    private record Entry(cl_context context, int users) {
    }

    private static final Map<String, Entry> BY_DEVICE = new HashMap<>();

    private SharedContexts() {
    }

    /** The device's context, made if no backend holds one; every acquire needs one {@link #release}. */
    static synchronized cl_context acquire(OpenClDevice device) {
        Entry e = BY_DEVICE.get(key(device));
        if (e == null) {
            cl_context_properties props = new cl_context_properties();
            props.addProperty(CL_CONTEXT_PLATFORM, device.platformId());
            e = new Entry(clCreateContext(props, 1, new cl_device_id[] {device.deviceId()}, null, null, null), 0);
        }
        BY_DEVICE.put(key(device), new Entry(e.context(), e.users() + 1));
        return e.context();
    }

    /** One user fewer; the last one's release frees the context. */
    static synchronized void release(OpenClDevice device) {
        Entry e = BY_DEVICE.get(key(device));
        if (e == null) {
            return;
        }
        if (e.users() > 1) {
            BY_DEVICE.put(key(device), new Entry(e.context(), e.users() - 1));
        } else {
            BY_DEVICE.remove(key(device));
            clReleaseContext(e.context());
        }
    }

    /** How many backends hold the device's context (0: none is open). */
    static synchronized int users(OpenClDevice device) {
        Entry e = BY_DEVICE.get(key(device));
        return e == null ? 0 : e.users();
    }

    private static String key(OpenClDevice device) {
        return device.index() + " " + device.platform() + " " + device.name();
    }
}
