package polygrok.cli;

import com.google.gson.GsonBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import polygrok.backend.Backend;
import polygrok.backend.select.Backends;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;
import polygrok.data.SplitData;
import polygrok.train.EpochBenchmark;
import polygrok.train.ExampleSet;
import polygrok.train.Experiments;
import polygrok.model.OptimizerSettings;

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
        ExperimentConfig c = ConfigLoader.load(config);
        try (Backend be = Backends.create(backend, line -> System.err.println("polygrok: " + line))) {
            List<ExampleSet> train = new ArrayList<>(), test = new ArrayList<>();
            List<OptimizerSettings> optimizers = new ArrayList<>();
            long[] seeds = new long[models];
            SplitData first = null;
            for (int m = 0; m < models; m++) {
                seeds[m] = m;
                SplitData d = polygrok.data.Datasets.build(Experiments.dataSpec(c), m);
                first = first == null ? d : first;
                train.add(Experiments.examples(d.train(), d.taskNames().size()));
                test.add(Experiments.examples(d.test(), d.taskNames().size()));
                optimizers.add(Experiments.optimizer(c));
            }
            EpochBenchmark.Result r = EpochBenchmark.run(be, Experiments.modelSpec(c, first), train, test, optimizers, seeds,
                    warmup, epochs);
            var json = r.toJson();
            json.addProperty("config", config.toString());
            // which paths ran: options that change the work are part of the result
            json.addProperty("token_tables", be.tokenTables());
            be.describe().forEach(json::addProperty);
            System.out.println(new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create()
                    .toJson(polygrok.io.FiniteJson.of(json)));
        }
        return 0;
    }
}
