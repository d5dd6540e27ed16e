package org.neuralgrid.engine.opencl;

/** Closes several owners, all of them even when one fails, and then reports the first failure. */
final class Releaser {
    private Releaser() {
    }

    /** Closes the non-null resources in the order given (pass them in reverse order of creation). */
    static void closeAll(AutoCloseable... resources) {
        RuntimeException first = null;
        for (AutoCloseable r : resources) {
            if (r == null) {
                continue;
            }
            try {
                r.close();
            } catch (Exception e) {
                RuntimeException re = e instanceof RuntimeException x ? x
                        : new IllegalStateException("closing " + r + " failed", e);
                if (first == null) {
                    first = re;
                } else {
                    first.addSuppressed(re);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
