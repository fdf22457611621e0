package polygrok.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import polygrok.backend.Activation;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;
import polygrok.config.ModelConfig;
import polygrok.data.DataSpec;
import polygrok.data.Datasets;
import polygrok.data.Examples;
import polygrok.data.SplitData;
import polygrok.io.SafeDType;
import polygrok.model.Model;
import polygrok.model.ModelSpec;
import polygrok.model.OptimizerSettings;

/** Turns an experiment config into what the trainer runs: data, model shape, plan and one run per seed. */
public final class Experiments {
    private Experiments() {
    }

    public static DataSpec dataSpec(ExperimentConfig c) {
        return Datasets.specOf(c);
    }

    /** The model for a config and its data: one vocabulary for tokens and answers, as the seed has. */
    public static ModelSpec modelSpec(ExperimentConfig c, SplitData data) {
        ModelConfig m = c.model();
        int vocab = Math.max(data.vocabSize(), data.numClasses());
        return new ModelSpec(ModelConfig.MLP.equals(m.type()) ? ModelSpec.ModelType.MLP : ModelSpec.ModelType.TRANSFORMER,
                vocab, data.nCtx(), m.dModel(), m.numLayers(), m.numHeads(), m.dMlp(), m.dEmb(), Activation.parse(m.act()),
                m.layerNorm(), m.positional(), m.weightScale(), m.bias(), m.finalLayerNorm(),
                ModelConfig.NORMALISED.equals(m.residual()), ModelConfig.ONE_HOT.equals(m.input()),
                ModelConfig.PYTORCH_INIT.equals(m.weightInit()));
    }

    public static ExampleSet examples(Examples e, int taskCount) {
        return new ExampleSet(e.count(), e.nCtx(), e.tokens(), e.labels(), e.tasks(), taskCount);
    }

    public static OptimizerSettings optimizer(ExperimentConfig c) {
        var o = c.optimizer();
        double lpP = c.lp() == null ? 2 : c.lp().p(), lpAlpha = c.lp() == null ? 0 : c.lp().alpha();
        return new OptimizerSettings(o.lr(), o.weightDecay(), o.beta1(), o.beta2(), o.eps(), lpP, lpAlpha, o.gradFilter(),
                polygrok.config.OptimizerConfig.ADAM.equals(o.type()), o.warmupSteps(), o.orthogonal());
    }

    public static Trainer.Plan plan(ExperimentConfig c, ModelSpec spec, InitialWeights init, boolean resume, SafeDType checkpointType) {
        return new Trainer.Plan(spec, c.epochs(), c.evalEvery(), c.checkpointEvery(), c.batchSize() == null ? 0 : c.batchSize(),
                c.stopTestLoss() == null ? Double.NaN : c.stopTestLoss(), init.frozen(), resume, checkpointType,
                c.stopTestAcc() == null ? Double.NaN : c.stopTestAcc(), false,
                new polygrok.backend.LossMode(c.loss().stablemax(), c.loss().float32()), c.checkpointMinutes() * 60);
    }

    /** The run directory of one seed: OUT/NAME/seed_S. */
    public static RunDirectory runDirectory(Path out, ExperimentConfig c, long seed) {
        return new RunDirectory(out.resolve(c.name()).resolve("seed_" + seed));
    }

    /** One seed's run: its split, its resolved config (recording the init checkpoint's digest) and its directory. */
    public static Trainer.Run run(ExperimentConfig c, long seed, RunDirectory dir, InitialWeights init) {
        SplitData data = Datasets.build(dataSpec(c), seed);
        ExperimentConfig one = c.withSeeds(List.of(seed));
        JsonObject json = JsonParser.parseString(ConfigLoader.toJson(one)).getAsJsonObject();
        if (init.sha256() != null) {
            JsonObject provenance = new JsonObject();
            provenance.addProperty("init_checkpoint", c.init().checkpointFor(seed));
            provenance.addProperty("init_checkpoint_sha256", init.sha256());
            if (!init.sourceOps().isEmpty()) {
                JsonArray sourceOps = new JsonArray();
                init.sourceOps().forEach(sourceOps::add);
                provenance.add("init_source_ops", sourceOps);
            }
            if (init.sourceEpoch() >= 0) {
                provenance.addProperty("init_source_epoch", init.sourceEpoch());
            }
            json.add(ConfigLoader.PROVENANCE, provenance);
        }
        JsonObject summary = new JsonObject();
        JsonArray ops = new JsonArray();
        data.taskNames().forEach(ops::add);
        summary.add("ops", ops);
        summary.addProperty("p", c.p());
        summary.addProperty("train_fraction", c.trainFraction());
        summary.addProperty("config_name", c.name());
        int tasks = data.taskNames().size();
        return new Trainer.Run(c.name() + "/seed_" + seed, seed, Json.pretty(json) + "\n",
                examples(data.train(), tasks), examples(data.test(), tasks), data.taskNames(), optimizer(c), dir,
                init.overrides(), summary, init.optimizer());
    }

    /** The split of the first seed, used to size the model. */
    public static SplitData firstSplit(ExperimentConfig c) {
        return Datasets.build(dataSpec(c), c.seeds().get(0));
    }

    /** Every seed of a config as runs of one group (they share shapes), all from the same initial weights. */
    public static List<Trainer.Run> runs(ExperimentConfig c, Path out, InitialWeights init) throws IOException {
        Map<Long, InitialWeights> same = new java.util.HashMap<>();
        c.seeds().forEach(seed -> same.put(seed, init));
        return runs(c, out, same);
    }

    /** Every seed of a config as runs of one group, each from its own initial weights. */
    public static List<Trainer.Run> runs(ExperimentConfig c, Path out, Map<Long, InitialWeights> initBySeed) throws IOException {
        List<Trainer.Run> runs = new ArrayList<>();
        for (long seed : c.seeds()) {
            runs.add(run(c, seed, out == null ? null : runDirectory(out, c, seed), initBySeed.get(seed)));
        }
        return runs;
    }

    /** The layout of the model a config trains (for resolving init checkpoints). */
    public static polygrok.model.ParameterLayout layout(ExperimentConfig c) {
        return Model.of(modelSpec(c, firstSplit(c))).layout();
    }
}
