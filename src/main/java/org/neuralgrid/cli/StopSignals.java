package org.neuralgrid.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT (systemd's stop, {@code docker stop}, Ctrl-C) caught from the moment this is made, so that a
 * long-running command ({@code serve}, {@code worker}) stops in order instead of dying; {@link #await} waits for the
 * first of them.
 */
final class StopSignals {
    private final AtomicReference<String> first = new AtomicReference<>();
    private final CountDownLatch came = new CountDownLatch(1);

    private StopSignals() {
    }

    static StopSignals catchTermAndInt() {
        StopSignals signals = new StopSignals();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), s -> {
                signals.first.compareAndSet(null, "SIG" + s.getName());
                signals.came.countDown();
            });
        }
        return signals;
    }

    /** Waits for the first signal; its name ("SIGTERM", "SIGINT"). */
    String await() throws InterruptedException {
        came.await();
        return first.get();
    }
}
