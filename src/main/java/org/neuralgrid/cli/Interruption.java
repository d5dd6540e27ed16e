package org.neuralgrid.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C or SIGTERM during {@code train}: instead of dying mid-epoch, the run stops at the next batch and saves
 * where it is, so {@code --resume} loses nothing. The signals' previous handlers come back on close.
 */
final class Interruption implements org.neuralgrid.engine.Trainer.Stop, AutoCloseable {
    private static final String[] SIGNALS = {"INT", "TERM"};
    private final SignalHandler[] previous = new SignalHandler[SIGNALS.length];
    private volatile boolean requested;

    private Interruption() {
    }

    static Interruption onSignals() {
        Interruption i = new Interruption();
        for (int s = 0; s < SIGNALS.length; s++) {
            i.previous[s] = Signal.handle(new Signal(SIGNALS[s]), signal -> i.requested = true);
        }
        return i;
    }

    @Override
    public boolean requested() {
        return requested;
    }

    @Override
    public boolean saveFirst() {
        return true;
    }

    @Override
    public void close() {
        for (int s = 0; s < SIGNALS.length; s++) {
            Signal.handle(new Signal(SIGNALS[s]), previous[s]);
        }
    }
}
