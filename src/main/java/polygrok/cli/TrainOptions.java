package polygrok.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;

/**
 * The options every training command takes (the config, seeds, schedule, backend, output
 * directory, resume, early stop), shared as a picocli mixin so `train` and `finetune` read them the same way.
 */
final class TrainOptions {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "experiment JSON, e.g. configs/quick/add.json")
    Path config;

    @Option(names = "--seed", paramLabel = "N", description = "seed(s) to train instead of the config's (repeatable)")
    List<Long> seeds;

    @Option(names = "--train-fraction", paramLabel = "F", description = "override train_fraction")
    Double trainFraction;

    @Option(names = "--epochs", paramLabel = "N", description = "override epochs")
    Integer epochs;

    @Option(names = "--backend", paramLabel = "B", description = "override backend: ${COMPLETION-CANDIDATES}",
            completionCandidates = BackendNames.class)
    String backend;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--resume", description = "continue every run from its newest epoch checkpoint")
    boolean resume;

    @Option(names = "--overwrite", description = "replace the files of an earlier run in the same run directory (default: refuse)")
    boolean overwrite;

    @Option(names = "--stop-at-test-acc", paramLabel = "A", description = "stop a run once its test accuracy reaches A (e.g. 0.99); overrides stop_test_acc")
    Double stopAtTestAcc;

    /** The config file with the command-line overrides applied. */
    ExperimentConfig resolved() {
        ExperimentConfig c = ConfigLoader.load(config);
        if (seeds != null && !seeds.isEmpty()) {
            c = c.withSeeds(seeds);
        }
        if (trainFraction != null) {
            c = c.withTrainFraction(trainFraction);
        }
        if (epochs != null) {
            c = c.withEpochs(epochs);
        }
        if (backend != null) {
            c = c.withBackend(backend);
        }
        if (stopAtTestAcc != null) {
            c = c.withStopTestAcc(stopAtTestAcc);
        }
        return c;
    }
}
