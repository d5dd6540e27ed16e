package org.neuralgrid.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.RunConfig;

/**
 * Backends open on one device share its context (so that a GPU can run their queues side by side) and free it with
 * the last of them. Needs an OpenCL device (PoCL will do).
 */
@NeedsOpenCl
class OpenClSharedContextAccelTest {

    @Test
    void backendsOnOneDeviceShareItsContextAndTheLastToCloseFreesIt() {
        OpenClDevice device = OpenClTestDevice.require();
        RunConfig c = ConfigBuilder.grid(8, 4).build();
        assertEquals(0, SharedContexts.users(device));
        try (OpenClBackend first = new OpenClBackend(c, device)) {
            assertEquals(1, SharedContexts.users(device));
            try (OpenClBackend second = new OpenClBackend(c, device)) {
                assertEquals(2, SharedContexts.users(device));
            }
            assertEquals(1, SharedContexts.users(device), "the first still holds it");
        }
        assertEquals(0, SharedContexts.users(device), "released with the last backend");
    }
}
