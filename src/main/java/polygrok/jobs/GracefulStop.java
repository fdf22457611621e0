package polygrok.jobs;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C or SIGTERM (Slurm's warning signal, Kubernetes' stop) as a request rather than an end:
 * while open, a shutdown hook sets {@link #requested()} and then holds the JVM until {@link #close}
 * — the training loop ends its epoch and writes checkpoints, and the command prints its results and
 * writes its tables — or until {@link #MAX_WAIT_S} have passed. The JVM halts when its hooks
 * return, so everything the command must still do after training belongs inside the open scope.
 */
public final class GracefulStop implements AutoCloseable {
    /** How long a stop may take; Slurm's warning comes 120 s before the kill (slurm-array.sh). */
    static final int MAX_WAIT_S = 110;

    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    public GracefulStop() {
        hook = new Thread(() -> {
            requested.set(true);
            try {
                finished.await(MAX_WAIT_S, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "polygrok-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Set once a stop was asked for; the training loop polls it between epochs. */
    public AtomicBoolean requested() {
        return requested;
    }

    /** The command's work is done: a waiting hook may let the JVM exit, and no stop is awaited any more. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting because of the signal; the hook is running and now returns
        }
    }
}
