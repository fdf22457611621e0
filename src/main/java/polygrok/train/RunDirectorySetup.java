package polygrok.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import polygrok.io.DirectoryLock;
import polygrok.model.ModelGroup;

/**
 * The run directories of a training call: locked for the whole call (one writer per run), and for
 * a run that starts at epoch 0, refused when they hold an earlier run that trained (unless the plan
 * overwrites or resumes), cleared, and given the run's config.json and its init checkpoint.
 */
final class RunDirectorySetup {
    private RunDirectorySetup() {
    }

    /**
     * Locks every run's directory, adding each lock to {@code locks} as it is taken, so that the
     * caller's {@link #release} frees those already held when a later one is refused.
     */
    static void lock(List<Trainer.Run> runs, List<DirectoryLock> locks) throws IOException {
        for (Trainer.Run r : runs) {
            if (r.dir() != null) {
                locks.add(r.dir().lock());
            }
        }
    }

    /** Frees every lock, also when one fails to close (the first failure is thrown once all were tried). */
    static void release(List<DirectoryLock> locks) throws IOException {
        IOException first = null;
        for (DirectoryLock l : locks) {
            try {
                l.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Prepares the directories of runs that start from epoch 0; the group holds their initial weights. */
    static void startFresh(List<Trainer.Run> runs, Trainer.Plan plan, ModelGroup group, CheckpointWriter checkpoints)
            throws IOException {
        for (Trainer.Run r : runs) {
            if (r.dir() == null) {
                continue;
            }
            if (r.dir().holdsTrainedRun()) {
                if (!plan.overwrite() && !plan.resume()) {
                    throw new IOException("run directory " + r.dir().dir() + " holds an earlier run"
                            + (r.dir().isFinished() ? " (finished)" : "") + "; continue it with --resume, write this one"
                            + " elsewhere (--out), or replace it with --overwrite");
                }
                r.dir().clear();
            } else if (r.dir().hasRunFiles()) {
                // what a start that failed before its first epoch left (config.json, perhaps the init checkpoint)
                r.dir().clear();
            }
        }
        for (int i = 0; i < runs.size(); i++) {
            Trainer.Run r = runs.get(i);
            if (r.dir() != null) {
                try {
                    r.dir().create();
                    r.dir().writeConfig(r.configJson());
                    checkpoints.write(group, i, r, r.dir().checkpoint("init"), 0, 0);
                } catch (IOException | UncheckedIOException e) {
                    // the checkpoint writer wraps the file's own message; that one names the file and the reason
                    String reason = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
                    throw new IOException(reason + "; the run did not start: make room or fix " + r.dir().dir()
                            + " and run the same command again (a run that never trained is started afresh)", e);
                }
            }
        }
    }
}
