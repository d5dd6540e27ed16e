package org.neuralgrid.data;

/** Passes frequent progress reports on at most a few times a second, so that a console or a socket keeps up. */
final class ThrottledProgress {
    private static final long INTERVAL_NANOS = 250_000_000L;

    private final FetchProgress target;
    private long lastReport;
    private boolean reported;

    ThrottledProgress(FetchProgress target) {
        this.target = target;
    }

    void report(String message, double fraction) {
        long now = System.nanoTime();
        if (!reported || now - lastReport >= INTERVAL_NANOS) {
            reported = true;
            lastReport = now;
            target.report(message, fraction);
        }
    }
}
