package polygrok.cli;

import java.time.Instant;
import java.util.Optional;
import polygrok.io.WriteGate;

/**
 * In the re-launched JVM (the worker, see {@link VectorModuleLauncher}): ends the worker at once when
 * the JVM that launched it is gone, however it died. A launcher stopped with Ctrl-C or TERM passes
 * the stop on and waits for the worker's checkpoints; a launcher killed outright (kill -9, an OOM
 * kill, a closed session) cannot, and a worker left behind would go on writing into a run that the
 * user believes stopped, and race the next `--resume`. So the worker halts without writing anything
 * more: it asks before every file write ({@link WriteGate}) and a thread asks between writes. The run
 * resumes from its last checkpoint, which the atomic writes keep whole. A launcher that dies between a
 * check and its write still lets that write through; where the kernel can end the worker itself, it
 * does ({@link ParentDeathSignal}), and these checks are what is left elsewhere.
 */
final class LauncherWatch {
    /** System property naming the launcher: "PID" or "PID@START_MILLIS" (the start time tells a reused pid apart). */
    static final String PROPERTY = "polygrok.launcher";
    static final int EXIT_CODE = 137;
    private static final long POLL_MILLIS = 200;

    private LauncherWatch() {
    }

    /** This process as the property names it. */
    static String describeCurrent() {
        ProcessHandle self = ProcessHandle.current();
        return self.pid() + self.info().startInstant().map(i -> "@" + i.toEpochMilli()).orElse("");
    }

    /** Starts watching when this JVM was launched by polygrok; does nothing otherwise. */
    static void startIfWorker() {
        String launcher = System.getProperty(PROPERTY);
        if (launcher == null || launcher.isBlank()) {
            return;
        }
        String[] parts = launcher.split("@", 2);
        long pid = Long.parseLong(parts[0]);
        Optional<Instant> started = parts.length == 2 ? Optional.of(Instant.ofEpochMilli(Long.parseLong(parts[1]))) : Optional.empty();
        // every write checks first, so nothing is written after the launcher died; the thread ends a worker
        // that is busy computing and would not write for a while
        WriteGate.install(() -> {
            if (!launcherAlive(pid, started)) {
                stopNow(pid);
            }
        });
        Thread t = new Thread(() -> {
            while (launcherAlive(pid, started)) {
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            stopNow(pid);
        }, "polygrok-launcher-watch");
        t.setDaemon(true);
        t.start();
    }

    /** Says why once (a second caller waits here while the first halts the JVM) and ends the worker. */
    private static synchronized void stopNow(long pid) {
        System.err.println("polygrok: the process that launched this worker (pid " + pid + ") is gone; stopping now"
                + " without writing more (resume from the last checkpoint)");
        System.err.flush();
        Runtime.getRuntime().halt(EXIT_CODE);
    }

    /**
     * The launcher is this worker's parent. A parent that dies hands its children to another process at
     * once, while its own pid may still answer as a zombie until it is reaped; so the parent is asked first.
     */
    static boolean launcherAlive(long pid, Optional<Instant> started) {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        if (parent.isPresent() && parent.get().pid() != pid) {
            return false;
        }
        return alive(pid, started);
    }

    static boolean alive(long pid, Optional<Instant> started) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        // a pid reused by another process after the launcher died is not the launcher
        return started.isEmpty() || h.get().info().startInstant().map(i -> i.toEpochMilli() == started.get().toEpochMilli()).orElse(true);
    }
}
