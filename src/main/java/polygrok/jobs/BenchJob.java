package polygrok.jobs;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import polygrok.backend.Backend;
import polygrok.backend.LossMode;
import polygrok.backend.select.Backends;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;
import polygrok.data.Datasets;
import polygrok.data.SplitData;
import polygrok.io.FiniteJson;
import polygrok.model.OptimizerSettings;
import polygrok.train.EpochBenchmark;
import polygrok.train.ExampleSet;
import polygrok.train.Experiments;

/**
 * Seconds per training epoch of a config on a backend: the data of seeds 0..M-1 built as training
 * builds it, timed epochs after a warm-up, and the result printed as JSON with the options that
 * changed the work (token tables, and whatever the backend says about itself). The epoch is
 * full-batch, or minibatches of the config's batch_size as training takes them; the loss is always the
 * float64 cross-entropy, and a config asking for another loss is told so on stderr.
 */
public final class BenchJob {
    private BenchJob() {
    }

    /**
     * @param models models trained together on the model axis, with seeds 0..models-1
     * @param out    receives the JSON, printed before the backend is closed
     */
    public static void run(Path config, String backend, int warmup, int epochs, int models, PrintStream out) {
        ExperimentConfig c = ConfigLoader.load(config);
        try (Backend be = Backends.create(backend, line -> System.err.println("polygrok: " + line))) {
            List<ExampleSet> train = new ArrayList<>(), test = new ArrayList<>();
            List<OptimizerSettings> optimizers = new ArrayList<>();
            long[] seeds = new long[models];
            SplitData first = null;
            for (int m = 0; m < models; m++) {
                seeds[m] = m;
                SplitData d = Datasets.build(Experiments.dataSpec(c), m);
                first = first == null ? d : first;
                train.add(Experiments.examples(d.train(), d.taskNames().size()));
                test.add(Experiments.examples(d.test(), d.taskNames().size()));
                optimizers.add(Experiments.optimizer(c));
            }
            int batchSize = c.batchSize() == null ? 0 : c.batchSize();
            LossMode loss = new LossMode(c.loss().stablemax(), c.loss().float32());
            EpochBenchmark.Result r = EpochBenchmark.run(be, Experiments.modelSpec(c, first), train, test, optimizers, seeds,
                    batchSize, loss, warmup, epochs);
            JsonObject json = r.toJson();
            json.addProperty("config", config.toString());
            // what EpochBenchmark timed: the steps and the config's loss
            boolean minibatches = EpochBenchmark.minibatches(batchSize, train.get(0).count());
            json.addProperty("epoch_timed", (minibatches ? "minibatches of " + batchSize + " (one AdamW step each) and the test set's forward"
                    : "full batch") + ", " + (loss.isDefault() ? "cross-entropy in float64" : loss.toString()));
            // which paths ran: options that change the work are part of the result
            json.addProperty("token_tables", be.tokenTables());
            be.describe().forEach(json::addProperty);
            out.println(new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create()
                    .toJson(FiniteJson.of(json)));
        }
    }
}
