package org.neuralgrid.engine.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of threads that run the tasks of one parallel loop and wait for the next. The calling thread
 * is worker 0, so a pool of one thread runs everything inline. Tasks are claimed one at a time; results must not
 * depend on which worker ran a task (each task writes only its own slot).
 */
final class WorkerPool implements AutoCloseable {

    /** A task body: task index, and the worker's index for its scratch buffers. */
    interface Task {
        void run(int task, int worker);
    }

    private final int size;
    private final Thread[] threads;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition started = lock.newCondition();
    private final Condition finished = lock.newCondition();
    private final AtomicInteger next = new AtomicInteger();
    private long generation;
    private int running;
    private int tasks;
    private Task body;
    private Throwable failure;
    private boolean closed;

    WorkerPool(int size, String name) {
        this.size = Math.max(1, size);
        this.threads = new Thread[this.size - 1];
        for (int i = 0; i < threads.length; i++) {
            int worker = i + 1;
            threads[i] = new Thread(() -> serve(worker), name + "-" + worker);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    int size() {
        return size;
    }

    /** Runs tasks 0..count-1 on all workers and returns when every one has finished. */
    void run(int count, Task task) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the Java backend is closed");
            }
            tasks = count;
            body = task;
            failure = null;
            next.set(0);
            running = threads.length;
            generation++;
            started.signalAll();
        } finally {
            lock.unlock();
        }
        work(0);
        lock.lock();
        try {
            while (running > 0) {
                finished.awaitUninterruptibly();
            }
            body = null;
            if (failure != null) {
                Throwable f = failure;
                failure = null;
                if (f instanceof RuntimeException re) {
                    throw re;
                }
                if (f instanceof Error e) {
                    throw e;
                }
                throw new IllegalStateException(f);
            }
        } finally {
            lock.unlock();
        }
    }

    private void work(int worker) {
        try {
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                body.run(t, worker);
            }
        } catch (Throwable e) {
            next.set(Integer.MAX_VALUE / 2);
            lock.lock();
            try {
                if (failure == null) {
                    failure = e;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private void serve(int worker) {
        long seen = 0;
        while (true) {
            lock.lock();
            try {
                while (generation == seen && !closed) {
                    started.awaitUninterruptibly();
                }
                if (closed) {
                    return;
                }
                seen = generation;
            } finally {
                lock.unlock();
            }
            work(worker);
            lock.lock();
            try {
                if (--running == 0) {
                    finished.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            started.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
