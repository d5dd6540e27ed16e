package org.neuralgrid.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The tests' configuration builder: valid configurations, every field pinned rather than left to the defaults. */
class ConfigBuilderTest {

    @Test
    void aBuiltConfigurationIsValidFor2dAnd3dGrids() {
        for (RunConfig c : List.of(ConfigBuilder.grid(13, 6).build(), ConfigBuilder.sheets(4).build())) {
            assertEquals(List.of(), c.errors(RunConfig.defaultMemoryBudget()), c.gridText());
        }
    }

    /** So that a change of the published defaults (or a new field) changes no test's configuration unseen. */
    @Test
    void everyFieldThatAppliesIsSetByTheBuilderNotLeftToTheDefaults() {
        for (ConfigBuilder b : List.of(ConfigBuilder.grid(13, 6), ConfigBuilder.sheets(4))) {
            RunConfig c = b.build();
            for (ConfigField f : RunConfig.FIELDS) {
                assertTrue(!c.applies(f) || b.named().contains(f.name()),
                        f.name() + " applies to a " + c.gridText() + " grid but ConfigBuilder leaves it to the"
                                + " published default: pin it in ConfigBuilder's test recipe");
            }
        }
    }
}
