package polygrok.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import polygrok.backend.Backend;
import polygrok.config.ExperimentConfig;
import polygrok.config.InitConfig;
import polygrok.io.DirectoryLock;
import polygrok.io.SafeDType;
import polygrok.model.Model;
import polygrok.model.ModelSpec;
import polygrok.tensor.DType;

/**
 * Trains the groups of a sweep one after another on one backend. Each run writes its own run
 * directory exactly as `polygrok train` would. A launch can be killed at any moment and started
 * again with the same command: finished runs (summary.json present) are skipped, and unfinished
 * ones resume from their newest epoch checkpoint. Runs of one group that stopped at different
 * epochs (a group size changed between launches, a crash between two checkpoint writes) are
 * resumed as separate sub-groups, one per epoch, so nothing is retrained or lost. A run that another
 * process trains at the time is left to it, and the others train.
 */
public final class SweepRunner {

    /** Makes the listener of one launch (e.g. a progress bar labelled with the group). */
    public interface Listeners {
        Trainer.Listener forLaunch(RunGroup group, List<SweepRun> runs, int resumeEpoch);
    }

    /** Makes the extra eval measures (FFD/FCR) of one launch from its shared config and shape; null for none. */
    public interface Hooks {
        Trainer.MeasureHook forLaunch(ExperimentConfig config, ModelSpec spec);
    }

    /**
     * What happened to one group.
     *
     * @param skipped runs already finished before this launch
     * @param results one per run trained now, in group order
     * @param held    runs left alone because another process trains them now
     */
    public record GroupOutcome(RunGroup group, List<SweepRun> skipped, List<RunResult> results, List<SweepRun> held) {
        public GroupOutcome(RunGroup group, List<SweepRun> skipped, List<RunResult> results) {
            this(group, skipped, results, List.of());
        }
    }

    private final Backend backend;
    private final Listeners listeners;
    private final Hooks hooks;
    private final AtomicBoolean stopRequested;
    private final Consumer<String> log;
    private final Map<String, InitialWeights> initByPoint = new HashMap<>();

    /**
     * @param hooks         extra eval measures (FFD/FCR) per launch, or null for none
     * @param stopRequested set (e.g. by Ctrl-C) to stop after the current epoch with checkpoints written
     */
    public SweepRunner(Backend backend, Listeners listeners, Hooks hooks, AtomicBoolean stopRequested,
                       Consumer<String> log) {
        this.backend = backend;
        this.listeners = listeners;
        this.hooks = hooks;
        this.stopRequested = stopRequested == null ? new AtomicBoolean() : stopRequested;
        this.log = log;
    }

    /** Trains the given groups in order; stops early (checkpoints written) when asked to. */
    public List<GroupOutcome> run(List<RunGroup> groups) throws IOException {
        List<GroupOutcome> outcomes = new ArrayList<>();
        for (RunGroup g : groups) {
            if (stopRequested.get()) {
                break;
            }
            List<SweepRun> skipped = new ArrayList<>();
            List<SweepRun> held = new ArrayList<>();
            Map<Integer, List<SweepRun>> byEpoch = new LinkedHashMap<>();
            for (SweepRun r : g.runs()) {
                Optional<String> holder = DirectoryLock.holder(r.dir().dir());
                if (holder.isPresent()) {
                    // another launch trains it (an overlapping sweep, a `train` by hand): leave it and train the rest
                    held.add(r);
                    log.accept(heldMessage(r, holder.get()));
                } else if (r.dir().isFinished() && !r.dir().canExtendTo(r.point().config().epochs())) {
                    skipped.add(r);
                } else {
                    // a run that ended on a smaller budget continues from its final checkpoint, at the epoch it holds
                    int from = r.dir().isFinished() ? r.dir().budgetEndEpoch().getAsInt() : resumeEpoch(r.dir(), log);
                    byEpoch.computeIfAbsent(from, e -> new ArrayList<>()).add(r);
                }
            }
            if (byEpoch.isEmpty() && held.isEmpty()) {
                log.accept("group " + g.index() + ": all " + g.runs().size() + " run(s) already finished; skipped");
            }
            List<RunResult> results = new ArrayList<>();
            for (var part : byEpoch.entrySet()) {
                try {
                    results.addAll(train(g, part.getValue(), part.getKey()));
                } catch (DirectoryLock.HeldException takenMeanwhile) {
                    // taken by another process between the look above and the training's own lock
                    held.addAll(part.getValue());
                    log.accept(takenMeanwhile.getMessage() + "; skipped with its group (" + part.getValue().size()
                            + " run(s)): run the same command again once it has finished");
                }
                if (stopRequested.get()) {
                    break;
                }
            }
            outcomes.add(new GroupOutcome(g, skipped, results, held));
        }
        return outcomes;
    }

    /** One line for a run another process holds: who, and what to do. */
    static String heldMessage(SweepRun r, String holder) {
        return r.dir().dir() + ": skipped, in use by " + holder + "; run the same command again once it has finished";
    }

    /** The epoch a run continues from: that of its newest readable epoch checkpoint, 0 when it has none. */
    static int resumeEpoch(RunDirectory dir, Consumer<String> warnings) throws IOException {
        return dir.latestReadableEpochCheckpoint(warnings).map(RunDirectory::epochOf).orElse(0);
    }

    private List<RunResult> train(RunGroup g, List<SweepRun> runs, int resumeEpoch) throws IOException {
        ExperimentConfig first = runs.get(0).point().config();
        ModelSpec spec = Experiments.modelSpec(first, Experiments.firstSplit(first));
        List<Trainer.Run> trainerRuns = new ArrayList<>();
        InitialWeights firstInit = null;
        for (SweepRun r : runs) {
            InitialWeights init = init(r, spec);
            firstInit = firstInit == null ? init : firstInit;
            trainerRuns.add(Experiments.run(r.point().config(), r.seed(), r.dir(), init));
        }
        SafeDType checkpointType = backend.dtype() == DType.F64 ? SafeDType.F64 : SafeDType.F32;
        // the sweep owns its run directories: a run without a checkpoint starts over, replacing what it left
        Trainer.Plan plan = Experiments.plan(first, spec, firstInit, resumeEpoch > 0, checkpointType).withOverwrite(true);
        log.accept("group " + g.index() + ": " + runs.size() + " run(s) on one model axis"
                + (resumeEpoch > 0 ? ", resuming from epoch " + resumeEpoch : "") + ": "
                + String.join(", ", runs.stream().map(SweepRun::name).toList()));
        Trainer.MeasureHook hook = hooks == null ? null : hooks.forLaunch(first, spec);
        return new Trainer(backend, plan, trainerRuns, listeners.forLaunch(g, runs, resumeEpoch), hook, stopRequested).train();
    }

    private InitialWeights init(SweepRun r, ModelSpec spec) throws IOException {
        InitConfig initConfig = r.point().config().init();
        // a checkpoint path with {seed} differs per run; without it, every seed of a point shares one read
        String key = r.point().name() + " " + (initConfig == null ? "" : initConfig.checkpointFor(r.seed()));
        InitialWeights cached = initByPoint.get(key);
        if (cached == null) {
            cached = InitialWeights.resolve(initConfig, Model.of(spec).layout(), r.seed());
            initByPoint.put(key, cached);
        }
        return cached;
    }
}
