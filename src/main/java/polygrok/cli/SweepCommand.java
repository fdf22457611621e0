package polygrok.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import polygrok.analysis.SweepTable;
import polygrok.backend.Backend;
import polygrok.backend.Backends;
import polygrok.config.SweepConfig;
import polygrok.config.SweepLoader;
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
        description = {"Train a sweep (a base config and axes): runs of one shape train together on one model axis,",
                "each in OUT/<sweep>/<point>/seed_<s>/ exactly as `train` writes it. Rerun to resume; finished runs are skipped.",
                "Shards: --shard I/N, or SLURM_ARRAY_TASK_ID/_COUNT, or JOB_COMPLETION_INDEX with --shards N."})
final class SweepCommand implements Callable<Integer> {
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

    @Option(names = "--dry-run", description = "print the groups this shard would train, and what each run would do; train nothing")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        SweepConfig s = SweepLoader.load(sweepFile);
        if (epochs != null || backend != null) {
            var base = s.base();
            base = epochs == null ? base : base.withEpochs(epochs);
            base = backend == null ? base : base.withBackend(backend);
            s = new SweepConfig(s.name(), base, s.ops(), s.seeds(), s.trainFractions(), s.lrs(), s.weightDecays(),
                    s.initCheckpoints(), s.modelsPerLaunch(), s.shards());
        }
        Path sweepDir = out.resolve(s.name());
        PrintStream report = System.out;
        try (Backend be = Backends.create(s.base().backend(), line -> System.err.println("polygrok: " + line))) {
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
            report.printf(Locale.ROOT, "sweep %s: %d point(s), %d run(s) in %d group(s) of up to %d on %s; shard %d/%d trains %d group(s), %d run(s)%n",
                    s.name(), s.points().size(), runs, groups.size(), m, be.name(), mine.index(), mine.count(), selected.size(), myRuns);
            if (dryRun) {
                printPlan(selected, report);
                return 0;
            }
            SweepPlanFile.write(sweepDir, s, groups, m);
            List<SweepRunner.GroupOutcome> outcomes = train(be, selected);
            int failed = 0;
            for (SweepRunner.GroupOutcome o : outcomes) {
                for (RunResult r : o.results()) {
                    failed += r.nonFinite() != null ? 1 : 0;
                    report.printf(Locale.ROOT, "%s: %s; epochs to 99%% test accuracy: %s; best test accuracy %.4f; %d epochs in %.1f s%n",
                            r.name(), r.interrupted() ? "interrupted" : r.nonFinite() != null ? "stopped" : "done",
                            r.epochsTo99() == null ? "-" : r.epochsTo99().toString(), r.bestTestAcc(), r.epochsRun(), r.wallSeconds());
                }
            }
            if (outcomes.stream().anyMatch(o -> o.results().stream().anyMatch(RunResult::interrupted))) {
                report.println("sweep interrupted; checkpoints are written: run the same command again to continue");
            }
            Path table = polygrok.report.SweepTableHtml.write(SweepTable.read(sweepDir));
            report.println("table: " + table + " (and " + polygrok.report.SweepTableHtml.FILE + "); run directories under " + sweepDir);
            return failed > 0 ? 3 : 0;
        }
    }

    private static void printPlan(List<RunGroup> selected, PrintStream report) throws IOException {
        for (RunGroup g : selected) {
            report.println("group " + g.index() + ":");
            for (SweepRun r : g.runs()) {
                String state = r.dir().isFinished() ? "finished, skipped"
                        : r.dir().latestEpochCheckpoint().map(p -> "resumes from " + p.getFileName()).orElse("new");
                report.println("  " + r.name() + "  (" + state + ")");
            }
        }
    }

    /** Trains with Ctrl-C handled as in `train`: the current epoch ends, checkpoints are written, the sweep stops. */
    private static List<SweepRunner.GroupOutcome> train(Backend be, List<RunGroup> groups) throws IOException {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                done.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "polygrok-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return new SweepRunner(be, (g, runs, epoch) -> ProgressListener.forConsole("group " + g.index() + " (" + runs.size() + " runs)"),
                    (c, spec) -> FourierHook.forConfig(c.fourierEvery(), c.p(), spec), stop,
                    line -> System.err.println("polygrok: " + line)).run(groups);
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting because of Ctrl-C; the hook is already running
            }
        }
    }
}
