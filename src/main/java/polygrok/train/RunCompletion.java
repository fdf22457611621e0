package polygrok.train;

import java.io.IOException;
import java.util.List;

/**
 * Ends runs and collects their results, one per run in the trainer's order, filled as runs end
 * (a run that stops early ends at its eval epoch, the others after the last epoch).
 */
final class RunCompletion {
    private final CheckpointWriter checkpoints;
    private final String backendName;
    private final RunResult[] results;

    RunCompletion(CheckpointWriter checkpoints, String backendName, int runs) {
        this.checkpoints = checkpoints;
        this.backendName = backendName;
        this.results = new RunResult[runs];
    }

    /**
     * Ends run i of the active group after {@code epochsRun} epochs: its final checkpoint (unless the
     * loss went non-finite: the last good checkpoint stays the newest) and its summary, unless it was
     * interrupted, which leaves it resumable.
     */
    void finish(ActiveRuns a, int i, int epochsRun, double wall, boolean interrupted) throws IOException {
        Trainer.Run r = a.runs.get(i);
        RunProgress pr = a.progress[i];
        if (!interrupted && r.dir() != null) {
            if (pr.nonFinite == null) {
                checkpoints.write(a.group, i, r, r.dir().checkpoint("final"), epochsRun, wall);
            }
            r.dir().writeSummary(pr.summary(r, epochsRun, wall, backendName));
            r.dir().removeResumePointsBefore(Integer.MAX_VALUE); // an ended run is never resumed
        }
        results[a.index[i]] = new RunResult(r.name(), r.seed(), pr.epochsTo, pr.bestTestAcc, pr.last, epochsRun, wall,
                interrupted, pr.nonFinite, interrupted ? null : pr.end(epochsRun));
    }

    List<RunResult> results() {
        return List.of(results);
    }
}
