package polygrok.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import polygrok.analysis.SweepTable;
import polygrok.backend.Backend;
import polygrok.backend.select.Backends;
import polygrok.config.SweepConfig;
import polygrok.config.SweepFile;
import polygrok.config.SweepLoader;
import polygrok.io.WaitingLock;
import polygrok.jobs.FourierHook;
import polygrok.jobs.GracefulStop;
import polygrok.train.RunGroup;
import polygrok.train.RunResult;
import polygrok.train.Shard;
import polygrok.train.SweepGroups;
import polygrok.train.SweepPlanFile;
import polygrok.train.SweepRun;
import polygrok.train.SweepRunner;

/**
 * `polygrok sweep SWEEP.json`: every run of a sweep, M at a time on one model axis, resumable,
 * optionally one shard of a cluster job. Rerunning the same command continues where it stopped.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Train a sweep (a base config and axes, or stages of them) with runs of one shape together on one model axis.",
                "Each run writes OUT/<sweep>/<point>/seed_<s>/ exactly as `train` does. Rerun to resume; finished runs are skipped.",
                "Shards: --shard I/N, or SLURM_ARRAY_TASK_ID/_COUNT, or JOB_COMPLETION_INDEX with --shards N."})
final class SweepCommand implements Callable<Integer> {
    /** Beside table.csv: taken while a shard reads the runs and writes the table. */
    static final String TABLE_LOCK = ".table.lock";

    @Parameters(index = "0", paramLabel = "SWEEP", description = "sweep JSON, e.g. configs/paper/table_a5.json")
    Path sweepFile;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--backend", paramLabel = "B", description = "override the base config's backend: ${COMPLETION-CANDIDATES}",
            completionCandidates = BackendNames.class)
    String backend;

    @Option(names = "--models-per-launch", paramLabel = "M",
            description = "runs per model axis (default: the sweep's models_per_launch, else 16 on cuda, 4 on the CPU)")
    Integer modelsPerLaunch;

    @Option(names = "--shard", paramLabel = "I/N", description = "train only groups i with i mod N == I (0-based)")
    String shard;

    @Option(names = "--shards", paramLabel = "N", description = "number of shards, for a Kubernetes indexed Job (JOB_COMPLETION_INDEX)")
    Integer shards;

    @Option(names = "--epochs", paramLabel = "N", description = "override every point's epochs (smoke tests, benchmarks)")
    Integer epochs;

    @Option(names = "--stop-at-test-acc", paramLabel = "A",
            description = "stop each run once its test accuracy reaches A (e.g. 0.99); overrides the base's stop_test_acc")
    Double stopAtTestAcc;

    @Option(names = "--dry-run", description = "print the groups this shard would train, and what each run would do; train nothing")
    boolean dryRun;

    @Option(names = "--stage", paramLabel = "NAME", description = "train only this stage of a file with stages (e.g. one stage per cluster job)")
    String stage;

    @Override
    public Integer call() throws Exception {
        SweepFile file = SweepLoader.loadFile(sweepFile);
        List<SweepConfig> stages = file.resolved(out, this::withOverrides);
        if (stage != null) {
            List<String> names = stages.stream().map(SweepConfig::name).toList();
            if (!file.staged() || !names.contains(stage)) {
                throw new UserError("--stage " + stage + ": " + (file.staged() ? "no such stage; the stages are " + names
                        : sweepFile + " has no stages"));
            }
        }
        PrintStream report = System.out;
        // the stop scope covers the results and the table too: on SIGTERM the JVM must not halt before they are written
        try (Backend be = Backends.create(stages.get(0).base().backend(), line -> System.err.println("polygrok: " + line));
             GracefulStop stop = new GracefulStop()) {
            long budget = stages.stream().flatMap(s -> s.points().stream())
                    .mapToLong(pt -> (long) pt.config().epochs() * pt.config().seeds().size()).sum();
            boolean stops = stages.stream().anyMatch(s -> s.base().stopTestAcc() != null || s.base().stopTestLoss() != null);
            report.printf(Locale.ROOT, "sweep %s: %d run(s)%s, at most %,d model-epochs (each run's epoch budget%s)%n",
                    file.name(), file.runCount(), file.staged() ? " in " + stages.size() + (stages.size() == 1 ? " stage" : " stages, run in order") : "", budget,
                    stops ? "; runs that reach their stop condition end sooner" : "");
            int failed = 0;
            for (SweepConfig s : stages) {
                if (stage != null && !stage.equals(s.name())) {
                    continue;
                }
                Path sweepDir = file.stageDir(out, s);
                int m = modelsPerLaunch != null ? modelsPerLaunch
                        : s.modelsPerLaunch() != null ? s.modelsPerLaunch() : SweepGroups.defaultModelsPerLaunch(be.name());
                if (m < 1) {
                    throw new UserError("--models-per-launch " + m + " must be at least 1");
                }
                List<RunGroup> groups = SweepGroups.of(s.points(), sweepDir, m);
                Shard mine = Shard.resolve(shard, shards, s.shards(), System.getenv());
                List<RunGroup> selected = mine.select(groups);
                int runs = groups.stream().mapToInt(g -> g.runs().size()).sum();
                int myRuns = selected.stream().mapToInt(g -> g.runs().size()).sum();
                report.printf(Locale.ROOT, "%s %s: %d point(s), %d run(s) in %d group(s) of up to %d on %s; shard %d/%d trains %d group(s), %d run(s)%n",
                        file.staged() ? "stage" : "sweep", s.name(), s.points().size(), runs, groups.size(), m, be.name(),
                        mine.index(), mine.count(), selected.size(), myRuns);
                if (dryRun) {
                    printPlan(selected, report);
                    continue;
                }
                SweepPlanFile.write(sweepDir, s, groups, m);
                List<SweepRunner.GroupOutcome> outcomes = train(be, selected, stop);
                for (SweepRunner.GroupOutcome o : outcomes) {
                    for (RunResult r : o.results()) {
                        failed += r.nonFinite() != null ? 1 : 0;
                        report.printf(Locale.ROOT, "%s: %s; epochs to 99%% test accuracy: %s; best test accuracy %.4f; %d epochs in %.1f s%n",
                                r.name(), r.interrupted() ? "interrupted" : r.nonFinite() != null ? "stopped" : "done",
                                r.epochsTo99() == null ? "-" : r.epochsTo99().toString(), r.bestTestAcc(), r.epochsRun(), r.wallSeconds());
                    }
                }
                // Every shard of an array writes the table when it ends; under the lock, the last one reads
                // all runs finished before it, and a shard that read earlier cannot overwrite it afterwards.
                Path table = WaitingLock.holding(sweepDir.resolve(TABLE_LOCK),
                        () -> polygrok.report.SweepTableHtml.write(SweepTable.read(sweepDir)));
                report.println("table: " + table + " (and " + polygrok.report.SweepTableHtml.FILE + "); run directories under " + sweepDir);
                if (outcomes.stream().anyMatch(o -> o.results().stream().anyMatch(RunResult::interrupted))) {
                    report.println("sweep interrupted; checkpoints are written: run the same command again to continue");
                    break;
                }
            }
            return failed > 0 ? 3 : 0;
        }
    }

    /** The command line's overrides of every stage's base config. */
    private SweepConfig withOverrides(SweepConfig s) {
        var base = s.base();
        base = epochs == null ? base : base.withEpochs(epochs);
        base = backend == null ? base : base.withBackend(backend);
        base = stopAtTestAcc == null ? base : base.withStopTestAcc(stopAtTestAcc);
        return s.withBase(base);
    }

    private static void printPlan(List<RunGroup> selected, PrintStream report) throws IOException {
        for (RunGroup g : selected) {
            report.println("group " + g.index() + ":");
            for (SweepRun r : g.runs()) {
                String state = r.dir().canExtendTo(r.point().config().epochs()) ? "ended on a smaller budget, continues"
                        : r.dir().isFinished() ? "finished, skipped"
                        : r.dir().latestEpochCheckpoint().map(p -> "resumes from " + p.getFileName()).orElse("new");
                report.println("  " + r.name() + "  (" + state + ")");
            }
        }
    }

    /** Trains the groups; a stop asked for ends the current epoch of every group, and checkpoints are written. */
    private static List<SweepRunner.GroupOutcome> train(Backend be, List<RunGroup> groups, GracefulStop stop) throws IOException {
        return new SweepRunner(be, (g, runs, epoch) -> ProgressListener.forConsole("group " + g.index() + " (" + runs.size() + " runs)"),
                (c, spec) -> FourierHook.forConfig(c.fourierEvery(), c.p(), spec), stop.requested(),
                line -> System.err.println("polygrok: " + line)).run(groups);
    }
}
