package org.neuralgrid.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.neuralgrid.engine.ParameterSnapshots.Snapshot;
import org.neuralgrid.model.ConfigBuilder;
import org.neuralgrid.model.ModelLayout;
import org.neuralgrid.model.Parameters;
import org.neuralgrid.model.RunConfig;
import org.neuralgrid.model.Tensor;

/** A run's live parameters from the worker that trains it to the dashboard: every bit, or refused. */
class LiveParametersTest {
    @Test
    void parametersArriveBitForBitWithTheirEpochAndBatch() {
        RunConfig config = ConfigBuilder.grid(16, 8).seed(7).build();
        Parameters sent = ModelLayout.initial(config);
        Snapshot got = LiveParameters.decode(LiveParameters.encode("0123456789ab", "a",
                new Snapshot(3, 17, sent)), ModelLayout.zeros(config));
        assertEquals(3, got.epoch());
        assertEquals(17, got.batch());
        for (Tensor t : sent.tensors()) {
            assertArrayEquals(t.shape(), got.parameters().get(t.name()).shape(), t.name());
            assertArrayEquals(t.data(), got.parameters().data(t.name()), t.name());
        }
    }

    @Test
    void parametersOfAnotherLayoutAreRefused() {
        Parameters other = ModelLayout.initial(ConfigBuilder.grid(8, 8).build());
        var bytes = LiveParameters.encode("0123456789ab", "a", new Snapshot(1, 0, other));
        assertThrows(IllegalArgumentException.class,
                () -> LiveParameters.decode(bytes, ModelLayout.zeros(ConfigBuilder.grid(16, 8).build())));
    }
}
