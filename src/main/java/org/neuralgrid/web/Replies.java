package org.neuralgrid.web;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * How the web side answers when something went wrong, in one place: a failed future becomes an {@link ApiError},
 * sent as JSON under /api, /ws and the open routes, and as a short HTML page where a browser navigated.
 */
final class Replies {
    static final String JSON = "application/json; charset=utf-8";
    static final String HTML = "text/html; charset=utf-8";
    private static final System.Logger LOG = System.getLogger(Replies.class.getName());

    private Replies() {
    }

    /** Sends the future's JSON, or its failure. */
    static void json(RoutingContext rc, Future<?> reply) {
        reply.onSuccess(rc::json).onFailure(e -> failure(rc, e));
    }

    /** A failed future (a bus reply, a rendering) as its error answer. */
    static void failure(RoutingContext rc, Throwable e) {
        error(rc, ApiError.from(e));
    }

    /** An error as JSON, or as a short page where a browser asked for a page. */
    static void error(RoutingContext rc, ApiError error) {
        if (rc.response().ended() || rc.response().closed()) {
            return;
        }
        if (isPage(rc)) {
            rc.response().setStatusCode(error.status()).putHeader(HttpHeaders.CONTENT_TYPE, HTML)
                    .end(ErrorPage.html(error));
            return;
        }
        rc.response().setStatusCode(error.status()).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .end(error.body().encode());
    }

    /** Router-level failures (no route, wrong method, a body over {@code maxBody} bytes, a thrown exception). */
    static void routingError(RoutingContext rc, int maxBody) {
        int status = rc.statusCode() > 0 ? rc.statusCode() : 500;
        Throwable failure = rc.failure();
        String message = switch (status) {
            case 404 -> "not found: " + rc.request().path();
            case 405 -> rc.request().method() + " is not allowed here";
            case 413 -> "the request body is larger than " + maxBody + " bytes";
            case 400 -> failure == null || failure.getMessage() == null ? "bad request" : failure.getMessage();
            case 401 -> "the access token is missing or wrong";
            case 403 -> "forbidden";
            default -> "internal error";
        };
        if (status >= 500) {
            LOG.log(System.Logger.Level.WARNING, "request " + rc.request().method() + " " + rc.request().path()
                    + " failed", failure);
        }
        error(rc, ApiError.of(status, message));
    }

    /** A page is what a browser navigates to: anything but the API, the WebSocket and the open files. */
    static boolean isPage(RoutingContext rc) {
        String path = rc.request().path();
        return !path.startsWith("/api/") && !path.equals("/api") && !path.startsWith("/ws/")
                && !path.startsWith("/static/") && !path.startsWith("/webjars/") && !path.equals("/health");
    }

    static String shorten(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
