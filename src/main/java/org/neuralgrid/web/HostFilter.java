package org.neuralgrid.web;

import io.vertx.core.Handler;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;

/**
 * Without a token the dashboard answers only requests that name a loopback host: a web page on another site that
 * reaches it through DNS rebinding names its own host, never one of these.
 */
final class HostFilter implements Handler<RoutingContext> {
    private final boolean tokenRequired;

    HostFilter(boolean tokenRequired) {
        this.tokenRequired = tokenRequired;
    }

    @Override
    public void handle(RoutingContext rc) {
        HostAndPort authority = rc.request().authority();
        if (tokenRequired || authority == null || ServerOptions.isLoopback(authority.host())) {
            rc.next();
            return;
        }
        Replies.error(rc, ApiError.of(403, "this dashboard answers only to localhost, 127.0.0.1 or [::1]; start it"
                + " with a token to reach it by another name"));
    }
}
