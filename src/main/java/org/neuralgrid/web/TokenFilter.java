package org.neuralgrid.web;

import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * With a token, every request that passes this filter must carry it: {@code Authorization: Bearer <token>}, the
 * {@value AccessToken#COOKIE} cookie, or {@code ?token=}. A page opened with a correct {@code ?token=} sets the
 * cookie (HttpOnly, SameSite=Strict), so the page's own requests carry it.
 */
final class TokenFilter implements Handler<RoutingContext> {
    private final AccessToken token;

    TokenFilter(AccessToken token) {
        this.token = token;
    }

    @Override
    public void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        Cookie cookie = request.getCookie(AccessToken.COOKIE);
        if (token.matches(bearer(request)) || cookie != null && token.matches(cookie.getValue())) {
            rc.next();
            return;
        }
        String fromQuery = request.getParam(AccessToken.QUERY_PARAM);
        if (token.matches(fromQuery)) {
            if (Replies.isPage(rc)) {
                rc.response().addCookie(Cookie.cookie(AccessToken.COOKIE, fromQuery).setPath("/").setHttpOnly(true)
                        .setSameSite(CookieSameSite.STRICT).setSecure(request.isSSL()));
            }
            rc.next();
            return;
        }
        rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"neuralgrid\"");
        Replies.error(rc, ApiError.of(401, "this dashboard needs its access token: open it with ?token=<token> or"
                + " send Authorization: Bearer <token>"));
    }

    private static String bearer(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }
}
