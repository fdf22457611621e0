package polygrok.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import polygrok.analysis.SweepTable;
import polygrok.backend.Backend;
import polygrok.backend.select.Backends;
import polygrok.config.SweepConfig;
import polygrok.config.SweepFile;
import polygrok.config.SweepLoader;
import polygrok.io.DirectoryLock;
import polygrok.io.WaitingLock;
import polygrok.train.RunGroup;
import polygrok.train.RunResult;
import polygrok.train.Shard;
import polygrok.train.SweepGroups;
import polygrok.train.SweepPlanFile;
import polygrok.train.SweepRun;
import polygrok.train.SweepRunner;

/**
 * Every run of a sweep file, stage by stage: groups of runs of one shape on one model axis, this
 * shard's share of them, the plan file, training with a clean stop on a signal, and the sweep's table
 * written under a lock when a stage ends. Prints what it does to the report stream as it goes.
 */
public final class SweepJob {
    /** Beside table.csv: taken while a shard reads the runs and writes the table. */
    public static final String TABLE_LOCK = ".table.lock";

    /**
     * What to run. Null overrides keep the sweep's own values.
     *
     * @param stage           train only this stage of a file with stages, or null for all
     * @param modelsPerLaunch runs per model axis, or null for the stage's or the backend's default
     * @param shard           "I/N", or null to take it from the environment (or one shard)
     * @param dryRun          print the groups and what each run would do; train nothing
     */
    public record Request(Path sweepFile, Path out, String backend, Integer epochs, Double stopAtTestAcc, String stage,
                          Integer modelsPerLaunch, String shard, Integer shards, boolean dryRun) {
    }

    /** Writes a stage's tables; the HTML one is drawn a floor above, so the caller passes it in. */
    public interface Tables {
        /** Writes the tables of one sweep directory and returns the line that names them. */
        String write(SweepTable table);
    }

    private final SweepRunner.Listeners progress;
    private final Tables tables;
    private final PrintStream report;

    /**
     * @param progress makes the progress listener of each launch
     * @param report   where the plan, each run's result and the table's place are printed
     */
    public SweepJob(SweepRunner.Listeners progress, Tables tables, PrintStream report) {
        this.progress = progress;
        this.tables = tables;
        this.report = report;
    }

    /**
     * How a launch went.
     *
     * @param nonFinite runs that stopped on a non-finite value
     * @param held      runs left alone because another process was training them
     */
    public record Outcome(int nonFinite, int held) {
    }

    /** Runs the request; an outcome of zeros when all went well. */
    public Outcome run(Request r) throws IOException {
        SweepFile file = SweepLoader.loadFile(r.sweepFile());
        List<SweepConfig> stages = file.resolved(r.out(), s -> withOverrides(s, r));
        if (r.stage() != null) {
            List<String> names = stages.stream().map(SweepConfig::name).toList();
            if (!file.staged() || !names.contains(r.stage())) {
                throw new IllegalArgumentException("--stage " + r.stage() + ": " + (file.staged() ? "no such stage; the stages are " + names
                        : r.sweepFile() + " has no stages"));
            }
        }
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
            int held = 0;
            for (SweepConfig s : stages) {
                if (r.stage() != null && !r.stage().equals(s.name())) {
                    continue;
                }
                Path sweepDir = file.stageDir(r.out(), s);
                int m = r.modelsPerLaunch() != null ? r.modelsPerLaunch()
                        : s.modelsPerLaunch() != null ? s.modelsPerLaunch() : SweepGroups.defaultModelsPerLaunch(be);
                if (m < 1) {
                    throw new IllegalArgumentException("--models-per-launch " + m + " must be at least 1");
                }
                List<RunGroup> groups = SweepGroups.of(s.points(), sweepDir, m);
                Shard mine = Shard.resolve(r.shard(), r.shards(), s.shards(), System.getenv());
                List<RunGroup> selected = mine.select(groups);
                int runs = groups.stream().mapToInt(g -> g.runs().size()).sum();
                int myRuns = selected.stream().mapToInt(g -> g.runs().size()).sum();
                report.printf(Locale.ROOT, "%s %s: %d point(s), %d run(s) in %d group(s) of up to %d on %s; shard %d/%d trains %d group(s), %d run(s)%n",
                        file.staged() ? "stage" : "sweep", s.name(), s.points().size(), runs, groups.size(), m, be.name(),
                        mine.index(), mine.count(), selected.size(), myRuns);
                if (r.dryRun()) {
                    printPlan(selected);
                    continue;
                }
                SweepPlanFile.write(sweepDir, s, groups, m);
                List<SweepRunner.GroupOutcome> outcomes = new SweepRunner(be, progress,
                        (c, spec) -> FourierHook.forConfig(c.fourierEvery(), c.p(), spec), stop.requested(),
                        line -> System.err.println("polygrok: " + line)).run(selected);
                failed += printResults(outcomes);
                held += outcomes.stream().mapToInt(o -> o.held().size()).sum();
                // Every shard of an array writes the table when it ends; under the lock, the last one reads
                // all runs finished before it, and a shard that read earlier cannot overwrite it afterwards.
                String table = WaitingLock.holding(sweepDir.resolve(TABLE_LOCK), () -> tables.write(SweepTable.read(sweepDir)));
                report.println(table + "; run directories under " + sweepDir);
                if (outcomes.stream().anyMatch(o -> o.results().stream().anyMatch(RunResult::interrupted))) {
                    report.println("sweep interrupted; checkpoints are written: run the same command again to continue");
                    break;
                }
            }
            return new Outcome(failed, held);
        }
    }

    /** The command line's overrides of every stage's base config. */
    private static SweepConfig withOverrides(SweepConfig s, Request r) {
        var base = s.base();
        base = r.epochs() == null ? base : base.withEpochs(r.epochs());
        base = r.backend() == null ? base : base.withBackend(r.backend());
        base = r.stopAtTestAcc() == null ? base : base.withStopTestAcc(r.stopAtTestAcc());
        return s.withBase(base);
    }

    /** One line per run trained; returns how many stopped on a non-finite value. */
    private int printResults(List<SweepRunner.GroupOutcome> outcomes) {
        int failed = 0;
        for (SweepRunner.GroupOutcome o : outcomes) {
            for (RunResult r : o.results()) {
                failed += r.nonFinite() != null ? 1 : 0;
                report.printf(Locale.ROOT, "%s: %s; epochs to 99%% test accuracy: %s; best test accuracy %.4f; %d epochs in %.1f s%n",
                        r.name(), r.interrupted() ? "interrupted" : r.nonFinite() != null ? "stopped" : "done",
                        r.epochsTo99() == null ? "-" : r.epochsTo99().toString(), r.bestTestAcc(), r.epochsRun(), r.wallSeconds());
            }
        }
        return failed;
    }

    private void printPlan(List<RunGroup> selected) throws IOException {
        for (RunGroup g : selected) {
            report.println("group " + g.index() + ":");
            for (SweepRun r : g.runs()) {
                Optional<String> holder = DirectoryLock.holder(r.dir().dir());
                String state = holder.isPresent() ? "in use by " + holder.get() + ", skipped"
                        : r.dir().canExtendTo(r.point().config().epochs()) ? "ended on a smaller budget, continues"
                        : r.dir().isFinished() ? "finished, skipped"
                        : r.dir().latestEpochCheckpoint().map(p -> "resumes from " + p.getFileName()).orElse("new");
                report.println("  " + r.name() + "  (" + state + ")");
            }
        }
    }
}
