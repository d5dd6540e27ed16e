package org.neuralgrid.engine;

import org.neuralgrid.model.RunConfig;

/** The probe check of {@link ProbeDuringTrainingTest}, for the backend test packages. */
public final class ProbeDuringTrainingTestAccess {
    private ProbeDuringTrainingTestAccess() {
    }

    public static void assertProbesChangeNothing(RunConfig c) throws Exception {
        ProbeDuringTrainingTest.assertProbesChangeNothing(c);
    }
}
