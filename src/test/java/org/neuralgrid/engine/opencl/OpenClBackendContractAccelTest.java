package org.neuralgrid.engine.opencl;

import org.neuralgrid.engine.Backend;
import org.neuralgrid.engine.BackendContract;
import org.neuralgrid.model.RunConfig;

/**
 * The OpenCL backend keeps the promises of every {@link Backend}, on the device the accelerator tests use (a GPU
 * when there is one, else PoCL); skipped without one unless NEURALGRID_REQUIRE_OPENCL=1.
 */
@NeedsOpenCl
class OpenClBackendContractAccelTest extends BackendContract {

    @Override
    protected Backend open(RunConfig config) {
        return new OpenClBackend(config, OpenClTestDevice.require());
    }
}
