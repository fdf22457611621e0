package polygrok.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import polygrok.model.ModelGroup;

/**
 * Continues a group's runs from their newest readable epoch checkpoints: all runs must have stopped
 * at the same epoch; a run that ended on a smaller budget is reopened; the config diff is checked
 * ({@link ResumeProvenance}); weights, moments, steps, metrics trackers and wall time are restored.
 */
final class RunResume {
    private RunResume() {
    }

    /** Restores every run from its newest epoch checkpoint; returns the epoch to continue with (0: start afresh). */
    static int resume(List<Trainer.Run> runs, Trainer.Plan plan, ModelGroup group, RunProgress[] progress, Trainer.Listener listener)
            throws IOException {
        for (Trainer.Run r : runs) {
            if (r.dir() != null) {
                // first, before anything in the directory changes: a refused resume leaves the run as it was
                ResumeProvenance.refuseForbidden(r);
            }
        }
        for (Trainer.Run r : runs) {
            if (r.dir() != null && r.dir().canExtendTo(plan.epochs())) {
                r.dir().reopen();
                listener.message(r.name() + ": ended on its budget; continuing it to " + plan.epochs() + " epochs");
            }
        }
        int epoch = -1;
        List<ModelState> states = new ArrayList<>();
        for (Trainer.Run r : runs) {
            Optional<Path> latest = r.dir() == null ? Optional.empty() : r.dir().latestReadableEpochCheckpoint(listener::message);
            if (latest.isEmpty()) {
                if (epoch > 0) {
                    throw new IOException("cannot resume " + r.name() + ": no epoch checkpoint in "
                            + (r.dir() == null ? "(no directory)" : r.dir().checkpointDir()) + " while other runs of its group have one");
                }
                epoch = 0;
                states.add(null);
                continue;
            }
            ModelState s = Checkpoints.read(latest.get(), group.model().layout());
            if (epoch >= 0 && s.epoch() != epoch) {
                throw new IOException("cannot resume a group whose runs stopped at different epochs: " + r.name() + " at "
                        + s.epoch() + ", others at " + epoch);
            }
            epoch = s.epoch();
            states.add(s);
        }
        if (epoch <= 0) {
            listener.message("nothing to resume: no epoch checkpoint yet; starting from the beginning");
            return 0;
        }
        for (Trainer.Run r : runs) {
            ResumeProvenance.check(r, epoch, listener);
        }
        for (int i = 0; i < runs.size(); i++) {
            ModelState.restore(group, i, states.get(i));
            runs.get(i).dir().truncateMetricsAfter(epoch - 1);
            progress[i].replay(runs.get(i).dir());
            progress[i].wallOffset = states.get(i).wallSeconds();
        }
        listener.message("resuming " + runs.size() + " run(s) from epoch " + epoch);
        return epoch;
    }
}
