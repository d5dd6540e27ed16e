package org.neuralgrid.engine.opencl;

import org.junit.jupiter.api.Test;
import org.neuralgrid.model.ConfigBuilder;

/** Probes of a run training on OpenCL change nothing either: the parameters are read between two steps. */
@NeedsOpenCl
class OpenClProbeDuringTrainingAccelTest {
    @Test
    void fiftyProbesDuringTrainingLeaveTheWeightsBitIdenticalOnOpenCl() throws Exception {
        OpenClTestDevice.require();
        org.neuralgrid.engine.ProbeDuringTrainingTestAccess.assertProbesChangeNothing(ConfigBuilder.grid(16, 6)
                .batch(32).samples(640, 128).set("epochs", 4).backend("opencl").build());
    }
}
