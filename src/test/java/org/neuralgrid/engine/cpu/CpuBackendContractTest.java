package org.neuralgrid.engine.cpu;

import org.neuralgrid.engine.Backend;
import org.neuralgrid.engine.BackendContract;
import org.neuralgrid.model.RunConfig;

/** The Java backend keeps the promises of every {@link Backend}. */
class CpuBackendContractTest extends BackendContract {

    @Override
    protected Backend open(RunConfig config) {
        return new CpuBackend(config);
    }
}
