package polygrok.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import polygrok.config.ExperimentConfig;
import polygrok.jobs.TrainingJob;
import polygrok.train.RunResult;

/** `polygrok train CONFIG`: train every seed of an experiment, one run directory each. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an experiment (a JSON config): one run directory per seed under OUT/<name>/seed_<s>/.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    TrainOptions options;

    @Override
    public Integer call() throws Exception {
        return train(options.resolved(), options);
    }

    /** Trains a resolved config; exit code 3 when a run stopped on a non-finite loss. */
    static int train(ExperimentConfig c, TrainOptions options) throws Exception {
        List<RunResult> results = TrainingJob.run(c, options.out, options.resume, options.overwrite, ProgressListener.forConsole(c.name()), System.out);
        return results.stream().anyMatch(r -> r.nonFinite() != null) ? 3 : 0;
    }
}
