package polygrok.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import polygrok.backend.Backend;
import polygrok.backend.select.Backends;
import polygrok.config.ExperimentConfig;
import polygrok.io.SafeDType;
import polygrok.model.ModelSpec;
import polygrok.tensor.DType;
import polygrok.train.Experiments;
import polygrok.train.InitialWeights;
import polygrok.train.RunResult;
import polygrok.train.Trainer;

/**
 * Trains every seed of a config as one group on the model axis, writing one run directory per
 * seed. Ctrl-C asks the trainer to stop after the current epoch and write checkpoints; the JVM
 * waits for that before exiting.
 */
public final class TrainingJob {
    private TrainingJob() {
    }

    public static List<RunResult> run(ExperimentConfig config, Path out, boolean resume, Trainer.Listener listener,
                               PrintStream report) throws IOException {
        return run(config, out, resume, false, listener, report);
    }

    /**
     * @param overwrite replace the files an earlier run left in a run directory (without it, and without
     *                  {@code resume}, such a directory is refused)
     */
    public static List<RunResult> run(ExperimentConfig config, Path out, boolean resume, boolean overwrite, Trainer.Listener listener,
                               PrintStream report) throws IOException {
        if (resume && overwrite) {
            throw new IllegalArgumentException("--resume continues a run and --overwrite replaces it; give one of them");
        }
        if (resume && out != null) {
            List<Long> open = new java.util.ArrayList<>();
            for (long seed : config.seeds()) {
                var dir = Experiments.runDirectory(out, config, seed);
                if (dir.isFinished() && !dir.canExtendTo(config.epochs())) {
                    report.println(config.name() + "/seed_" + seed + ": finished already (" + dir.summaryFile() + "), nothing to resume"
                            + " (a run that ended on its budget continues with a larger --epochs); to train it again, --overwrite");
                } else {
                    open.add(seed);
                }
            }
            if (open.isEmpty()) {
                return List.of();
            }
            config = config.withSeeds(open);
        }
        try (Backend backend = Backends.create(config.backend(), line -> System.err.println("polygrok: " + line))) {
            var split = Experiments.firstSplit(config);
            ModelSpec spec = Experiments.modelSpec(config, split);
            var initBySeed = InitialWeights.resolveSeeds(config.init(), polygrok.model.Model.of(spec).layout(), config.seeds());
            // the frozen set follows the components alone, so any seed's weights give the plan
            InitialWeights init = initBySeed.get(config.seeds().get(0));
            Trainer.Plan plan = Experiments.plan(config, spec, init, resume,
                    backend.dtype() == DType.F64 ? SafeDType.F64 : SafeDType.F32).withOverwrite(overwrite);
            List<Trainer.Run> runs = Experiments.runs(config, out, initBySeed);
            Trainer.MeasureHook hook = FourierHook.forConfig(config.fourierEvery(), config.p(), spec);
            List<RunResult> results;
            try (GracefulStop stop = new GracefulStop()) {
                results = new Trainer(backend, plan, runs, listener, hook, stop.requested()).train();
                // report before releasing the interrupt hook: once it returns, the JVM may halt mid-line
                for (RunResult r : results) {
                    report.printf(Locale.ROOT, "%s: %s; epochs to 50/90/99%% test accuracy: %s/%s/%s; best test accuracy %.4f; %d epochs in %.1f s on %s%n",
                            r.name(), r.interrupted() ? "interrupted" : r.nonFinite() != null ? "stopped" : "done",
                            str(r.epochsToAcc()[0]), str(r.epochsToAcc()[1]), str(r.epochsToAcc()[2]), r.bestTestAcc(), r.epochsRun(),
                            r.wallSeconds(), backend.name());
                }
                if (out != null) {
                    report.println("run directories under " + out.resolve(config.name()));
                }
                report.flush();
            }
            return results;
        }
    }

    private static String str(Integer i) {
        return i == null ? "-" : i.toString();
    }
}
