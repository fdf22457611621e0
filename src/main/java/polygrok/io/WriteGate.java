package polygrok.io;

/**
 * The one check every file write of polygrok passes first ({@link AtomicFiles}, {@link JsonLinesWriter},
 * {@link DirectoryLock}). A worker JVM installs a check that stops the process when its launcher is gone:
 * a watcher thread that polls would notice only after its interval, and a fast run writes many
 * checkpoints and metrics lines in that time into a run the user believes stopped. Checked right before
 * each write, nothing is written once the launcher has died. Without an installed check (tests, a JVM
 * started by hand) writes pass unchecked.
 */
public final class WriteGate {
    private static volatile Runnable beforeEachWrite = () -> { };

    private WriteGate() {
    }

    /**
     * Runs {@code check} before every write from now on; it returns to let the write happen, and ends
     * the process (it must not return) when nothing may be written any more.
     */
    public static void install(Runnable check) {
        beforeEachWrite = check;
    }

    /** Called by the writers of this package right before bytes become visible in a file. */
    static void check() {
        beforeEachWrite.run();
    }
}
