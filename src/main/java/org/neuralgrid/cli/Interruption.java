package org.neuralgrid.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C or SIGTERM during {@code train}: instead of dying mid-epoch, the run stops at the next batch and saves
 * where it is, so {@code --resume} loses nothing. The signals' previous handlers come back on close.
 */
final class Interruption implements org.neuralgrid.engine.Trainer.Stop, AutoCloseable {
    private static final String[] SIGNALS = {"INT", "TERM"};
    /** Exits as the JVM's own INT and TERM handler does: see {@link #restore}. */
    private static final SignalHandler JVM_EXIT = signal -> System.exit(128 + signal.getNumber());
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
            restore(new Signal(SIGNALS[s]), previous[s]);
        }
    }

    /**
     * Puts a previous handler back. An OpenCL driver's LLVM (PoCL here) installs its own INT and TERM handlers
     * natively and later puts the JVM's back, after which the JVM hands out an empty wrapper for its own handler,
     * which it then refuses to install again (a NullPointerException "handler"); in its place goes one that exits as
     * the JVM's would. Runs after the first in one JVM (a sweep, the tests) meet it.
     */
    private static void restore(Signal signal, SignalHandler previous) {
        try {
            Signal.handle(signal, previous);
        } catch (NullPointerException e) {
            Signal.handle(signal, JVM_EXIT);
        }
    }
}
