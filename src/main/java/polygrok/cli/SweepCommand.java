package polygrok.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import polygrok.jobs.SweepJob;
import polygrok.report.SweepTableHtml;

/**
 * `polygrok sweep SWEEP.json`: every run of a sweep, M at a time on one model axis, resumable,
 * optionally one shard of a cluster job. Rerunning the same command continues where it stopped.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Train a sweep (a base config and axes, or stages of them) with runs of one shape together on one model axis.",
                "Each run writes OUT/<sweep>/<point>/seed_<s>/ exactly as `train` does. Rerun to resume; finished runs are skipped.",
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

    @Option(names = "--stop-at-test-acc", paramLabel = "A",
            description = "stop each run once its test accuracy reaches A (e.g. 0.99); overrides the base's stop_test_acc")
    Double stopAtTestAcc;

    @Option(names = "--dry-run", description = "print the groups this shard would train, and what each run would do; train nothing")
    boolean dryRun;

    @Option(names = "--stage", paramLabel = "NAME", description = "train only this stage of a file with stages (e.g. one stage per cluster job)")
    String stage;

    @Override
    public Integer call() throws Exception {
        var job = new SweepJob((g, runs, epoch) -> ProgressListener.forConsole("group " + g.index() + " (" + runs.size() + " runs)"),
                table -> "table: " + SweepTableHtml.write(table) + " (and " + SweepTableHtml.FILE + ")", System.out);
        SweepJob.Outcome outcome = job.run(new SweepJob.Request(sweepFile, out, backend, epochs, stopAtTestAcc, stage, modelsPerLaunch,
                shard, shards, dryRun));
        if (outcome.held() > 0) {
            // the runs were named as they were skipped; the end says that the sweep is not complete
            System.err.println("polygrok: " + outcome.held() + " run(s) of " + sweepFile + " skipped because another process trains"
                    + " them; run the same command again once it has finished");
            return 2;
        }
        return outcome.nonFinite() > 0 ? 3 : 0;
    }
}
