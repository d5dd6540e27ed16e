package org.neuralgrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** A run that diverges fails on its own; the server and the other runs go on. */
class FailingRunTest extends DashboardTestBase {

    @Test
    void aDivergingRunShowsFailedWithAMessageAndTheNextRunCompletes() {
        start();
        String bad = createRun(tiny().put("width", 32).put("activation", "identity").put("gain", 100)
                .put("lr", 10).put("epochs", 5));
        String good = createRun(tiny());

        JsonObject failed = awaitStatus(bad, "failed", "completed");
        assertEquals("failed", failed.getString("status"));
        assertNotNull(failed.getString("message"));
        assertFalse(failed.getString("message").isBlank());
        assertEquals(200, get("/health").statusCode());
        assertEquals("completed", awaitStatus(good, "completed", "failed").getString("status"));
        assertEquals(200, get("/runs/" + bad).statusCode(), "the failed run's page still renders");
    }
}
