package org.neuralgrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.net.NetServer;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Starting and stopping the whole dashboard. */
class DashboardStartTest extends DashboardTestBase {

    @Test
    void portZeroBindsAFreePortAndStopUndeploysEverything() {
        Dashboard d = start();
        assertTrue(d.port() > 0);
        assertEquals("http://127.0.0.1:" + d.port() + "/", d.url());
        assertEquals(2, vertx.deploymentIDs().size());
        assertEquals(200, get("/health").statusCode());

        stop();
        assertEquals(Set.of(), vertx.deploymentIDs());
    }

    @Test
    void aPortInUseFailsTheStartAndLeavesNothingDeployed() {
        NetServer squatter = await(vertx.createNetServer().connectHandler(s -> s.close()).listen(0, "127.0.0.1"));
        ServerOptions taken = new ServerOptions("127.0.0.1", squatter.actualPort(), dataDir, null, 1);

        Throwable failure = await(Dashboard.start(vertx, taken).transform(ar -> Future.succeededFuture(ar.cause())));

        assertTrue(failure != null, "the start should have failed");
        assertEquals(Set.of(), vertx.deploymentIDs());
        await(squatter.close());
    }
}
