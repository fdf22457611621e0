package polygrok.train;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import polygrok.autograd.Loss;
import polygrok.backend.Backend;
import polygrok.backend.LossMode;
import polygrok.io.DirectoryLock;
import polygrok.io.SafeDType;
import polygrok.model.Model;
import polygrok.model.ModelGroup;
import polygrok.model.ModelSpec;
import polygrok.model.OptimizerSettings;

/**
 * Trains a group of runs (M models of one shape, one model axis) epoch by epoch. An epoch is the
 * seed's: forward and backward on the train set (full batch by default), evaluation on the test set
 * at eval epochs with the same weights, then one AdamW step. In full-batch mode the whole epoch is
 * handed to {@link Backend#runRepeatable}, so a GPU replays it as one graph and the host reads
 * metrics only at eval epochs.
 *
 * <p>Epoch numbers start at 0; a checkpoint epoch_N holds the state after N epochs, and resuming from
 * it continues with epoch N, giving the same bits as a run that was never interrupted.
 *
 * <p>This class is the epoch loop; around it, {@link RunDirectorySetup} locks and prepares the run
 * directories, {@link InitialGroup} builds the starting group, {@link RunResume} continues from
 * checkpoints, {@link Evaluation} writes metrics and applies the stop rules, {@link ActiveRuns}
 * shrinks the group as runs stop, and {@link RunCompletion} writes each run's end.
 */
public final class Trainer {

    /**
     * What the runs of a group share.
     *
     * @param batchSize      0 for full batch
     * @param stopTestLoss   stop a run once its test loss falls below this (NaN: never)
     * @param frozen         parameters neither updated nor decayed
     * @param checkpointType F64 on the float64 backend (exact resume), F32 otherwise
     * @param stopTestAcc    stop a run once its test accuracy reaches this (NaN: never)
     * @param overwrite      a run starting from epoch 0 may replace an earlier run's files; without it that is refused
     * @param loss           the loss every model of the group trains on (top-level loss and loss_precision)
     * @param resumePointSeconds write a resume point once this long has passed since the last checkpoint
     *                       (config checkpoint_minutes); 0 = never
     */
    public record Plan(ModelSpec spec, int epochs, int evalEvery, int checkpointEvery, int batchSize,
                       double stopTestLoss, Set<String> frozen, boolean resume, SafeDType checkpointType,
                       double stopTestAcc, boolean overwrite, LossMode loss, double resumePointSeconds) {
        public Plan {
            if (epochs < 1 || evalEvery < 1 || checkpointEvery < 0 || batchSize < 0 || !(resumePointSeconds >= 0)) {
                throw new IllegalArgumentException("epochs and eval_every must be >= 1, checkpoint_every, batch_size and the"
                        + " resume point interval >= 0; got " + epochs + ", " + evalEvery + ", " + checkpointEvery + ", " + batchSize
                        + ", " + resumePointSeconds);
            }
        }

        /** With {@code overwrite}, a run that starts from epoch 0 replaces the files an earlier run left in its directory. */
        public Plan withOverwrite(boolean replace) {
            return new Plan(spec, epochs, evalEvery, checkpointEvery, batchSize, stopTestLoss, frozen, resume, checkpointType,
                    stopTestAcc, replace, loss, resumePointSeconds);
        }
    }

    /**
     * One run of a group.
     *
     * @param dir       where it writes (null: nothing written, e.g. in benchmarks and tests)
     * @param overrides parameters replacing the seeded initial values (fine-tuning), by name
     * @param summary   fields copied into summary.json (name, ops, p, ...)
     * @param optimizerStart AdamW's moments and step to start from (init.load_optimizer), or null for fresh ones
     */
    public record Run(String name, long seed, String configJson, ExampleSet train, ExampleSet test,
                      List<String> taskNames, OptimizerSettings optimizer, RunDirectory dir,
                      Map<String, double[]> overrides, JsonObject summary, InitialWeights.OptimizerStart optimizerStart) {
    }

    /** Hears about progress; every method is optional. */
    public interface Listener {
        default void started(int firstEpoch, int epochs, int models) {
        }

        default void evaluated(int epoch, List<Run> runs, List<MetricsLine> lines) {
        }

        default void message(String text) {
            System.err.println("polygrok: " + text);
        }

        default void finished() {
        }
    }

    /** Extra measures computed at eval epochs from a run's parameters (e.g. FFD and FCR); empty when none are due. */
    public interface MeasureHook {
        Map<String, Double> measure(int epoch, Run run, Map<String, double[]> params);

        /** Whether {@link #measure} reads the weights at this eval epoch (when no hook does, they stay where they are). */
        default boolean measures(int epoch) {
            return true;
        }
    }

    private final Backend backend;
    private final Plan plan;
    private final List<Run> runs;
    private final Listener listener;
    private final MeasureHook hook;
    private final AtomicBoolean stopRequested;

    public Trainer(Backend backend, Plan plan, List<Run> runs, Listener listener, MeasureHook hook, AtomicBoolean stopRequested) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs to train");
        }
        this.backend = backend;
        this.plan = plan;
        this.runs = runs;
        this.listener = listener;
        this.hook = hook;
        this.stopRequested = stopRequested;
    }

    /**
     * Trains every run; returns one result per run. Each run's directory is locked for the whole call,
     * so a second process writing the same run is refused at once.
     */
    public List<RunResult> train() throws IOException {
        List<DirectoryLock> locks = new ArrayList<>();
        try {
            RunDirectorySetup.lock(runs, locks);
            return trainLocked();
        } finally {
            RunDirectorySetup.release(locks);
        }
    }

    private List<RunResult> trainLocked() throws IOException {
        int m = runs.size();
        ModelGroup group = InitialGroup.build(backend, plan, Model.of(plan.spec()), runs);
        CheckpointWriter checkpoints = new CheckpointWriter(plan);
        RunCompletion completion = new RunCompletion(checkpoints, backend.name(), m);
        Evaluation evaluation = new Evaluation(backend, plan, hook, listener, completion);
        RunProgress[] progress = new RunProgress[m];
        int[] index = new int[m];
        for (int i = 0; i < m; i++) {
            progress[i] = new RunProgress();
            index[i] = i;
        }
        int firstEpoch = plan.resume() ? RunResume.resume(runs, plan, group, progress, listener) : 0;
        if (firstEpoch == 0) {
            RunDirectorySetup.startFresh(runs, plan, group, checkpoints);
        }
        ActiveRuns active = new ActiveRuns(backend, plan, runs, progress, index, group);
        long start = System.nanoTime();
        long lastCheckpoint = start;
        double wallOffset = progress[0].wallOffset;
        listener.started(firstEpoch, plan.epochs(), m);
        // the losses the next evaluation reads
        Loss trainLoss = null, testLoss = null;
        int epoch = firstEpoch;
        boolean interrupted = false;
        for (; epoch < plan.epochs() && active.activeCount() > 0; epoch++) {
            boolean eval = epoch % plan.evalEvery() == 0 || epoch == plan.epochs() - 1;
            if (active.minibatches == null) {
                active.fullBatch.run(eval);
                trainLoss = active.fullBatch.trainLoss();
                testLoss = active.fullBatch.testLoss();
            } else {
                if (eval) {
                    trainLoss = active.group.evaluateTrainSet(active.trainFull);
                    testLoss = active.group.evaluate(active.testFull);
                    active.group.recordEvalWeights();
                }
                active.minibatches.run(active.group, active.runs, epoch);
            }
            double wall = wallOffset + (System.nanoTime() - start) / 1e9;
            if (eval) {
                evaluation.evaluate(active, epoch, wall, trainLoss, testLoss);
            }
            int done = epoch + 1;
            boolean stop = stopRequested != null && stopRequested.get();
            boolean regular = (plan.checkpointEvery() > 0 && done % plan.checkpointEvery() == 0) || stop;
            boolean resumePoint = !regular && plan.resumePointSeconds() > 0
                    && System.nanoTime() - lastCheckpoint >= plan.resumePointSeconds() * 1e9;
            if (regular || resumePoint) {
                writeCheckpoints(checkpoints, active, done, wall, resumePoint);
                lastCheckpoint = System.nanoTime();
            }
            if (stop) {
                interrupted = true;
                epoch++;
                listener.message("interrupted after epoch " + epoch + "; checkpoints written; continue with --resume");
                break;
            }
            int still = active.activeCount();
            if (still > 0 && still * 2 <= active.runs.size()) {
                listener.message((active.runs.size() - still) + " of " + active.runs.size() + " runs of this group have ended; the other "
                        + still + " continue on a model axis of their own");
                active = active.shrunk();
            }
        }
        double wall = wallOffset + (System.nanoTime() - start) / 1e9;
        for (int i = 0; i < active.runs.size(); i++) {
            if (active.progress[i].active()) {
                completion.finish(active, i, epoch, wall, interrupted);
            }
        }
        listener.finished();
        return completion.results();
    }

    /**
     * Every active run's checkpoint after {@code done} epochs: epoch_N, or a resume point; either way
     * the run's older resume points go, as a resume would never pick them again.
     */
    private static void writeCheckpoints(CheckpointWriter checkpoints, ActiveRuns active, int done, double wall, boolean resumePoint)
            throws IOException {
        for (int i = 0; i < active.runs.size(); i++) {
            RunDirectory dir = active.runs.get(i).dir();
            if (active.progress[i].active() && dir != null) {
                checkpoints.write(active.group, i, active.runs.get(i), resumePoint ? dir.resumePoint(done) : dir.epochCheckpoint(done),
                        done, wall);
                dir.removeResumePointsBefore(resumePoint ? done : done + 1);
            }
        }
    }
}
