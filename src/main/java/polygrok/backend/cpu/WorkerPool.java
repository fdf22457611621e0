package polygrok.backend.cpu;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of threads that runs numbered tasks: {@code parallelFor(n, body)} calls
 * {@code body.run(task, worker)} once for every task in [0, n), the caller taking part as worker 0.
 *
 * <p>Which worker runs which task varies from run to run, so callers make every task write its own
 * outputs only and never combine results across tasks in an order that depends on scheduling; the
 * task split itself depends on problem sizes alone, so results are the same bits on any thread count.
 * Calls must not nest, and one pool serves one caller thread at a time.
 */
final class WorkerPool implements AutoCloseable {

    /** One numbered piece of work; {@code worker} in [0, size()) names the thread's scratch space. */
    @FunctionalInterface
    interface Body {
        void run(int task, int worker);
    }

    private final int size;
    private final Thread[] threads;
    private final Object lock = new Object();
    private final AtomicInteger next = new AtomicInteger();
    // guarded by lock
    private Body body;
    private int tasks;
    private long generation;
    private int pending;
    private boolean closed;
    private Throwable failure;

    WorkerPool(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("threads = " + size + "; need at least 1");
        }
        this.size = size;
        this.threads = new Thread[size - 1];
        for (int w = 1; w < size; w++) {
            int worker = w;
            Thread t = new Thread(() -> workerLoop(worker), "polygrok-cpu-" + w);
            t.setDaemon(true); // a forgotten close() must not keep the JVM alive
            threads[w - 1] = t;
            t.start();
        }
    }

    int size() {
        return size;
    }

    /** Runs tasks [0, n) on all threads and returns when every one has finished; rethrows a task's failure. */
    void parallelFor(int n, Body work) {
        if (n <= 0) {
            return;
        }
        if (size == 1 || n == 1) {
            for (int t = 0; t < n; t++) {
                work.run(t, 0);
            }
            return;
        }
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the cpu backend was closed");
            }
            body = work;
            tasks = n;
            next.set(0);
            pending = size - 1;
            failure = null;
            generation++;
            lock.notifyAll();
        }
        Throwable mine = drain(work, n, 0);
        Throwable theirs;
        synchronized (lock) {
            while (pending > 0) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for cpu workers", e);
                }
            }
            body = null;
            theirs = failure;
        }
        Throwable first = mine != null ? mine : theirs;
        if (first instanceof RuntimeException r) {
            throw r;
        }
        if (first instanceof Error e) {
            throw e;
        }
        if (first != null) {
            throw new IllegalStateException(first);
        }
    }

    private Throwable drain(Body work, int n, int worker) {
        Throwable failed = null;
        for (int t = next.getAndIncrement(); t < n; t = next.getAndIncrement()) {
            try {
                work.run(t, worker);
            } catch (Throwable e) {
                if (failed == null) {
                    failed = e;
                }
            }
        }
        return failed;
    }

    private void workerLoop(int worker) {
        long seen = 0;
        while (true) {
            Body work;
            int n;
            synchronized (lock) {
                while (generation == seen && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                seen = generation;
                work = body;
                n = tasks;
            }
            Throwable failed = drain(work, n, worker);
            synchronized (lock) {
                if (failed != null && failure == null) {
                    failure = failed;
                }
                if (--pending == 0) {
                    lock.notifyAll();
                }
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }
}
