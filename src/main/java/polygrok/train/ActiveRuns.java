package polygrok.train;

import java.util.ArrayList;
import java.util.List;
import polygrok.backend.Backend;
import polygrok.model.Batch;
import polygrok.model.ModelGroup;

/**
 * The runs of a trainer still training and what they train on. When at most half of a group's
 * models are still training, the group is rebuilt with those alone ({@link #shrunk}), so a run that
 * has stopped (grokked, say) stops costing work; halving bounds the memory of all groups built to
 * twice the first one.
 */
final class ActiveRuns {
    final List<Trainer.Run> runs;
    final RunProgress[] progress;
    final int[] index; // position of each run in the trainer's list
    final ModelGroup group;
    final Batch trainFull, testFull;
    final MinibatchEpoch minibatches; // null in full-batch mode
    final FullBatchEpoch fullBatch;
    private final Backend backend;
    private final Trainer.Plan plan;

    ActiveRuns(Backend backend, Trainer.Plan plan, List<Trainer.Run> runs, RunProgress[] progress, int[] index, ModelGroup group) {
        this.backend = backend;
        this.plan = plan;
        this.runs = runs;
        this.progress = progress;
        this.index = index;
        this.group = group;
        this.trainFull = GroupBatches.full(backend, runs.stream().map(Trainer.Run::train).toList());
        this.testFull = GroupBatches.full(backend, runs.stream().map(Trainer.Run::test).toList());
        this.minibatches = plan.batchSize() > 0 && plan.batchSize() < trainFull.size()
                ? new MinibatchEpoch(backend, plan.batchSize(),
                GroupBatches.allocate(backend, runs.size(), plan.batchSize(), plan.spec().nCtx()))
                : null;
        this.fullBatch = new FullBatchEpoch(group, trainFull, testFull);
    }

    int activeCount() {
        int n = 0;
        for (RunProgress p : progress) {
            n += p.active() ? 1 : 0;
        }
        return n;
    }

    /** The runs still training, in a group of their own (their weights, moments and steps copied over). */
    ActiveRuns shrunk() {
        int n = activeCount();
        int[] keep = new int[n];
        List<Trainer.Run> keptRuns = new ArrayList<>();
        RunProgress[] keptProgress = new RunProgress[n];
        int[] keptIndex = new int[n];
        for (int i = 0, j = 0; i < runs.size(); i++) {
            if (progress[i].active()) {
                keep[j] = i;
                keptRuns.add(runs.get(i));
                keptProgress[j] = progress[i];
                keptIndex[j] = index[i];
                j++;
            }
        }
        backend.forgetRepeatable(); // the recorded epoch touched the old group's tensors
        ModelGroup smaller = group.subset(keep, keptRuns.stream().map(Trainer.Run::optimizer).toList(), plan.frozen());
        return new ActiveRuns(backend, plan, keptRuns, keptProgress, keptIndex, smaller);
    }
}
