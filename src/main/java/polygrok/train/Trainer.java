package polygrok.train;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import polygrok.autograd.Loss;
import polygrok.backend.Backend;
import polygrok.io.DirectoryLock;
import polygrok.io.SafeDType;
import polygrok.model.Batch;
import polygrok.model.ForwardOptions;
import polygrok.model.Initializer;
import polygrok.model.Model;
import polygrok.model.ModelGroup;
import polygrok.model.ModelSpec;
import polygrok.model.OptimizerSettings;
import polygrok.model.ParameterSpec;

/**
 * Trains a group of runs (M models of one shape, one model axis) epoch by epoch. An epoch is the
 * seed's: forward and backward on the train set (full batch by default), evaluation on the test set
 * at eval epochs with the same weights, then one AdamW step. In full-batch mode the whole epoch is
 * handed to {@link Backend#runRepeatable}, so a GPU replays it as one graph and the host reads
 * metrics only at eval epochs.
 *
 * <p>Epoch numbers start at 0; a checkpoint epoch_N holds the state after N epochs, and resuming from
 * it continues with epoch N, giving the same bits as a run that was never interrupted.
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
     */
    public record Plan(ModelSpec spec, int epochs, int evalEvery, int checkpointEvery, int batchSize,
                       double stopTestLoss, Set<String> frozen, boolean resume, SafeDType checkpointType,
                       double stopTestAcc, boolean overwrite) {
        public Plan {
            if (epochs < 1 || evalEvery < 1 || checkpointEvery < 0 || batchSize < 0) {
                throw new IllegalArgumentException("epochs and eval_every must be >= 1, checkpoint_every and batch_size >= 0; got "
                        + epochs + ", " + evalEvery + ", " + checkpointEvery + ", " + batchSize);
            }
        }

        /** With {@code overwrite}, a run that starts from epoch 0 replaces the files an earlier run left in its directory. */
        public Plan withOverwrite(boolean replace) {
            return new Plan(spec, epochs, evalEvery, checkpointEvery, batchSize, stopTestLoss, frozen, resume, checkpointType,
                    stopTestAcc, replace);
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
     * The runs still training and what they train on. When at most half of a group's models are still
     * training, the group is rebuilt with those alone, so a run that has stopped (grokked, say) stops
     * costing work; halving bounds the memory of all groups built to twice the first one.
     */
    private final class Active {
        final List<Run> runs;
        final RunProgress[] progress;
        final int[] index; // position of each run in the trainer's list
        final ModelGroup group;
        final Batch trainFull, testFull;
        final MinibatchPlan minibatches;
        final FullBatchEpoch fullBatch;

        Active(List<Run> runs, RunProgress[] progress, int[] index, ModelGroup group) {
            this.runs = runs;
            this.progress = progress;
            this.index = index;
            this.group = group;
            this.trainFull = GroupBatches.full(backend, runs.stream().map(Run::train).toList());
            this.testFull = GroupBatches.full(backend, runs.stream().map(Run::test).toList());
            this.minibatches = plan.batchSize() > 0 && plan.batchSize() < trainFull.size()
                    ? new MinibatchPlan(plan.batchSize(), GroupBatches.allocate(backend, runs.size(), plan.batchSize(), plan.spec().nCtx()))
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
        Active shrunk() {
            int n = activeCount();
            int[] keep = new int[n];
            List<Run> keptRuns = new ArrayList<>();
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
            ModelGroup smaller = group.subset(keep, keptRuns.stream().map(Run::optimizer).toList(), plan.frozen());
            return new Active(keptRuns, keptProgress, keptIndex, smaller);
        }
    }

    // the losses the next evaluation reads
    private Loss trainLoss, testLoss;
    // one per run, in the trainer's order, filled as runs end
    private RunResult[] results;

    /**
     * Trains every run; returns one result per run. Each run's directory is locked for the whole call,
     * so a second process writing the same run is refused at once.
     */
    public List<RunResult> train() throws IOException {
        List<DirectoryLock> locks = new ArrayList<>();
        try {
            for (Run r : runs) {
                if (r.dir() != null) {
                    locks.add(r.dir().lock());
                }
            }
            return trainLocked();
        } finally {
            for (DirectoryLock l : locks) {
                l.close();
            }
        }
    }

    private List<RunResult> trainLocked() throws IOException {
        Model model = Model.of(plan.spec());
        int m = runs.size();
        if (backend.tensorsOnHeap()) {
            var filter = runs.get(0).optimizer().gradFilter();
            MemoryCheck.check(plan.spec(), model.layout().total(), m, runs.get(0).train().count(), runs.get(0).test().count(),
                    backend.dtype() == polygrok.tensor.DType.F64 ? 8 : 4, filter == null ? 0 : filter.stateSlots(),
                    Runtime.getRuntime().maxMemory());
        }
        List<OptimizerSettings> optimizers = runs.stream().map(Run::optimizer).toList();
        ModelGroup group = new ModelGroup(backend, model, optimizers, plan.frozen());
        long[] seeds = runs.stream().mapToLong(Run::seed).toArray();
        backend.upload(group.params().block(), Initializer.initialValues(model.layout(), seeds));
        for (int i = 0; i < m; i++) {
            if (!runs.get(i).overrides().isEmpty()) {
                ModelState.patch(group, group.params().block(), i, runs.get(i).overrides());
            }
            InitialWeights.OptimizerStart start = runs.get(i).optimizerStart();
            if (start != null) {
                ModelState.patch(group, group.moment1().block(), i, start.moment1());
                ModelState.patch(group, group.moment2().block(), i, start.moment2());
                double[] steps = backend.toDoubles(group.steps());
                steps[i] = start.step();
                backend.upload(group.steps(), steps);
            }
        }
        RunProgress[] progress = new RunProgress[m];
        int[] index = new int[m];
        for (int i = 0; i < m; i++) {
            progress[i] = new RunProgress();
            index[i] = i;
        }
        results = new RunResult[m];
        int firstEpoch = plan.resume() ? resume(group, progress) : 0;
        if (firstEpoch == 0) {
            for (Run r : runs) {
                if (r.dir() != null && r.dir().hasRunFiles()) {
                    if (!plan.overwrite() && !plan.resume()) {
                        throw new IOException("run directory " + r.dir().dir() + " holds an earlier run"
                                + (r.dir().isFinished() ? " (finished)" : "") + "; continue it with --resume, write this one"
                                + " elsewhere (--out), or replace it with --overwrite");
                    }
                    r.dir().clear();
                }
            }
            for (int i = 0; i < m; i++) {
                Run r = runs.get(i);
                if (r.dir() != null) {
                    r.dir().create();
                    r.dir().writeConfig(r.configJson());
                    writeCheckpoint(group, i, r.dir().checkpoint("init"), 0, 0);
                }
            }
        }
        Active active = new Active(runs, progress, index, group);
        long start = System.nanoTime();
        double wallOffset = progress[0].wallOffset;
        listener.started(firstEpoch, plan.epochs(), m);
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
                    trainLoss = active.group.evaluate(active.trainFull);
                    testLoss = active.group.evaluate(active.testFull);
                    active.group.recordEvalWeights();
                }
                minibatchEpoch(active, epoch);
            }
            double wall = wallOffset + (System.nanoTime() - start) / 1e9;
            if (eval) {
                evaluate(active, epoch, wall);
            }
            int done = epoch + 1;
            boolean stop = stopRequested != null && stopRequested.get();
            if ((plan.checkpointEvery() > 0 && done % plan.checkpointEvery() == 0) || stop) {
                for (int i = 0; i < active.runs.size(); i++) {
                    if (active.progress[i].active() && active.runs.get(i).dir() != null) {
                        writeCheckpoint(active.group, i, active.runs.get(i).dir().epochCheckpoint(done), done, wall);
                    }
                }
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
                finish(active, i, epoch, wall, interrupted);
            }
        }
        listener.finished();
        return List.of(results);
    }

    /**
     * Ends run i of the active group after {@code epochsRun} epochs: its final checkpoint (unless the
     * loss went non-finite: the last good checkpoint stays the newest) and its summary, unless it was
     * interrupted, which leaves it resumable.
     */
    private void finish(Active a, int i, int epochsRun, double wall, boolean interrupted) throws IOException {
        Run r = a.runs.get(i);
        RunProgress pr = a.progress[i];
        if (!interrupted && r.dir() != null) {
            if (pr.nonFinite == null) {
                writeCheckpoint(a.group, i, r.dir().checkpoint("final"), epochsRun, wall);
            }
            r.dir().writeSummary(pr.summary(r, epochsRun, wall, backend.name()));
        }
        results[a.index[i]] = new RunResult(r.name(), r.seed(), pr.epochsTo, pr.bestTestAcc, pr.last, epochsRun, wall,
                interrupted, pr.nonFinite, interrupted ? null : pr.end(epochsRun));
    }

    private static boolean anyActive(RunProgress[] progress) {
        for (RunProgress p : progress) {
            if (p.active()) {
                return true;
            }
        }
        return false;
    }

    private record MinibatchPlan(int size, Batch batch) {
    }

    private void minibatchEpoch(Active a, int epoch) {
        ModelGroup group = a.group;
        MinibatchPlan mb = a.minibatches;
        List<Run> runs = a.runs;
        List<int[]> orders = new ArrayList<>();
        for (Run r : runs) {
            orders.add(permutation(r.train().count(), new Random(r.seed() * 1_000_003L + epoch)));
        }
        int count = runs.get(0).train().count();
        for (int from = 0; from < count; from += mb.size()) {
            GroupBatches.upload(backend, mb.batch(), GroupBatches.slice(runs.stream().map(Run::train).toList(), orders, from, mb.size()));
            backend.runRepeatable("minibatch", () -> {
                group.forwardBackward(mb.batch(), ForwardOptions.FAST);
                group.optimizerStep();
            });
        }
    }

    private static int[] permutation(int n, Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private void evaluate(Active a, int epoch, double wall) throws IOException {
        ModelGroup group = a.group;
        RunProgress[] progress = a.progress;
        List<Run> runs = a.runs;
        double[] trainRows = backend.toDoubles(trainLoss.perExample());
        double[] testRows = backend.toDoubles(testLoss.perExample());
        // norms and weights as they were before this epoch's step, like the losses; the weights
        // themselves cross to the host only for a hook that measures them
        double[] normValues = backend.toDoubles(group.evalNorms());
        double[] params = hook == null || !hook.measures(epoch) ? null : backend.toDoubles(group.evalWeights());
        double[] steps = backend.toDoubles(group.steps());
        int trainB = trainLoss.perExample().dim(1), testB = testLoss.perExample().dim(1);
        List<MetricsLine> lines = new ArrayList<>();
        long total = group.model().layout().total();
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            RunProgress pr = progress[i];
            if (!pr.active()) {
                lines.add(null);
                continue;
            }
            SetMetrics train = SetMetrics.of(trainRows, i * trainB * 3, r.train());
            SetMetrics test = SetMetrics.of(testRows, i * testB * 3, r.test());
            Map<String, double[]> byName = new LinkedHashMap<>();
            Map<String, double[]> norms = new LinkedHashMap<>();
            List<ParameterSpec> specs = group.model().layout().specs();
            for (int k = 0; k < specs.size(); k++) {
                ParameterSpec s = specs.get(k);
                int at = (i * specs.size() + k) * 2;
                norms.put(s.name(), new double[]{normValues[at], normValues[at + 1]});
                if (params != null) {
                    int from = Math.toIntExact(i * total + s.offset());
                    byName.put(s.name(), java.util.Arrays.copyOfRange(params, from, from + (int) s.size()));
                }
            }
            Map<String, Double> extra = params == null ? Map.of() : hook.measure(epoch, r, byName);
            // the step counter was advanced by this epoch's update; metrics describe the weights before it
            MetricsLine line = new MetricsLine(epoch, (long) steps[i] - 1, wall, train, test, r.taskNames(), norms, extra);
            lines.add(line);
            if (!Double.isFinite(train.loss()) || !Double.isFinite(test.loss())) {
                pr.nonFinite = "non-finite loss at epoch " + epoch + " (train " + train.loss() + ", test " + test.loss()
                        + "); the last good checkpoint is the newest one in " + (r.dir() == null ? "(none)" : r.dir().checkpointDir());
                pr.stoppedAt = epoch;
                pr.stoppedEarly = RunEnd.nonFinite(epoch, pr.nonFinite);
                listener.message(r.name() + ": " + pr.nonFinite);
            }
            if (r.dir() != null) {
                r.dir().appendMetrics(line.toJson());
            }
            pr.record(line);
            if (pr.nonFinite == null && test.loss() < plan.stopTestLoss()) {
                pr.stoppedEarly = RunEnd.testLoss(epoch, test.loss(), plan.stopTestLoss());
            } else if (pr.nonFinite == null && test.acc() >= plan.stopTestAcc()) {
                pr.stoppedEarly = RunEnd.grokked(epoch, test.acc(), plan.stopTestAcc());
            }
            if (pr.nonFinite == null && pr.stoppedEarly != null) {
                // the eval line of epoch e describes the weights before its step; the run ends after that
                // step, which the group has taken: its final checkpoint is written now, while it holds them
                pr.stoppedAt = epoch + 1;
                listener.message(r.name() + ": " + pr.stoppedEarly.text());
            }
            if (!pr.active()) {
                finish(a, i, pr.stoppedAt, wall, false);
            }
        }
        listener.evaluated(epoch, runs, lines);
    }

    private void writeCheckpoint(ModelGroup group, int i, java.nio.file.Path file, int epochsDone, double wall) {
        Run r = runs.get(i);
        try {
            Checkpoints.write(file, group.model().layout(), ModelState.of(group, i, epochsDone, wall), plan.checkpointType(),
                    r.configJson(), r.seed());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses to resume a run under a config that changes what it computes (naming the fields); a
     * change of budget, stop conditions or intervals is allowed and recorded in config.json.
     */
    private void checkConfigUnchanged(Run r, int epoch) throws IOException {
        JsonObject before = polygrok.io.JsonFiles.readObjectIfPresent(r.dir().configFile());
        if (before == null) {
            return;
        }
        JsonObject now = com.google.gson.JsonParser.parseString(r.configJson()).getAsJsonObject();
        List<ResumeCheck.Change> changes = ResumeCheck.changes(ResumeCheck.withDefaults(before), now);
        List<ResumeCheck.Change> forbidden = ResumeCheck.forbidden(changes);
        if (!forbidden.isEmpty()) {
            throw new IOException("cannot resume " + r.name() + " in " + r.dir().dir() + " with this config: "
                    + String.join("; ", forbidden.stream().map(ResumeCheck.Change::describe).toList())
                    + " would change what the run computes (allowed to change on resume: " + String.join(", ",
                    new java.util.TreeSet<>(ResumeCheck.MAY_CHANGE)) + "); start a new run (--out) or replace this one (--overwrite)");
        }
        if (changes.isEmpty()) {
            return;
        }
        JsonObject provenance = before.has(ResumeCheck.PROVENANCE) ? before.getAsJsonObject(ResumeCheck.PROVENANCE) : new JsonObject();
        com.google.gson.JsonArray resumes = provenance.has("resumed") ? provenance.getAsJsonArray("resumed") : new com.google.gson.JsonArray();
        JsonObject record = new JsonObject();
        record.addProperty("epoch", epoch);
        JsonObject changed = new JsonObject();
        for (ResumeCheck.Change c : changes) {
            com.google.gson.JsonArray pair = new com.google.gson.JsonArray();
            pair.add(c.before());
            pair.add(c.now());
            changed.add(c.field(), pair);
        }
        record.add("changed", changed);
        resumes.add(record);
        JsonObject merged = now.deepCopy();
        JsonObject newProvenance = now.has(ResumeCheck.PROVENANCE) ? now.getAsJsonObject(ResumeCheck.PROVENANCE).deepCopy() : provenance.deepCopy();
        newProvenance.add("resumed", resumes);
        merged.add(ResumeCheck.PROVENANCE, newProvenance);
        r.dir().writeConfig(Json.pretty(merged) + "\n");
        listener.message(r.name() + ": resuming with " + String.join("; ", changes.stream().map(ResumeCheck.Change::describe).toList())
                + " (recorded in config.json)");
    }

    /** Restores every run from its newest epoch checkpoint; returns the epoch to continue with. */
    private int resume(ModelGroup group, RunProgress[] progress) throws IOException {
        for (Run r : runs) {
            if (r.dir() != null && r.dir().canExtendTo(plan.epochs())) {
                r.dir().reopen();
                listener.message(r.name() + ": ended on its budget; continuing it to " + plan.epochs() + " epochs");
            }
        }
        int epoch = -1;
        List<ModelState> states = new ArrayList<>();
        for (Run r : runs) {
            var latest = r.dir() == null ? java.util.Optional.<java.nio.file.Path>empty()
                    : r.dir().latestReadableEpochCheckpoint(listener::message);
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
        for (Run r : runs) {
            checkConfigUnchanged(r, epoch);
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
