package org.neuralgrid.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Locale;

/**
 * Requests that change something (any method but GET and HEAD) and WebSocket upgrades must come from the
 * dashboard's own pages: a browser request with an Origin header of another site is refused.
 */
final class OriginFilter implements Handler<RoutingContext> {

    @Override
    public void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        boolean safe = request.method() == HttpMethod.GET && !isWebSocketUpgrade(request)
                || request.method() == HttpMethod.HEAD;
        if (safe || origin == null || sameOrigin(origin, request)) {
            rc.next();
            return;
        }
        Replies.error(rc, ApiError.of(403, "cross-origin request refused"));
    }

    static boolean isWebSocketUpgrade(HttpServerRequest request) {
        return "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
    }

    /** Whether an Origin header names the scheme, host and port this request was sent to. */
    static boolean sameOrigin(String origin, HttpServerRequest request) {
        HostAndPort authority = request.authority();
        if (authority == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String expectedScheme = request.isSSL() ? "https" : "http";
            int defaultPort = request.isSSL() ? 443 : 80;
            int originPort = uri.getPort() == -1 ? defaultPort : uri.getPort();
            int requestPort = authority.port() == -1 ? defaultPort : authority.port();
            return scheme.equals(expectedScheme) && uri.getHost() != null
                    && bare(uri.getHost()).equalsIgnoreCase(bare(authority.host())) && originPort == requestPort;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
