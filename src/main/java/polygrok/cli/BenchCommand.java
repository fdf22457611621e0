package polygrok.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import polygrok.jobs.BenchJob;

/** `polygrok bench`: seconds per training epoch of a config on a backend, as JSON. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time whole training epochs after a warm-up and print the timings as JSON.",
                "An epoch is the forward, backward and AdamW step on the train set, then the test forward and the metrics read back;",
                "the JSON holds median/min/max seconds per epoch,",
                "examples per second, the epoch's FLOPs (bench/README.md derives them), GFLOP/s and peak heap."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "CONFIG", description = "experiment JSON, e.g. configs/paper/add.json")
    Path config;

    @Option(names = "--backend", defaultValue = "auto", description = "backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})",
            completionCandidates = BackendNames.class)
    String backend;

    @Option(names = "--epochs", defaultValue = "20", description = "timed epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--warmup", defaultValue = "5", description = "untimed epochs first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--models", defaultValue = "1", description = "models trained together on the model axis (seeds 0..M-1)")
    int models;

    @Override
    public Integer call() {
        if (epochs < 1 || warmup < 0 || models < 1) {
            throw new UserError("--epochs and --models must be >= 1 and --warmup >= 0");
        }
        BenchJob.run(config, backend, warmup, epochs, models, System.out);
        return 0;
    }
}
