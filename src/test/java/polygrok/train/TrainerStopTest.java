package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;
import polygrok.io.JsonFiles;
import polygrok.io.JsonLines;
import polygrok.io.SafeDType;
import polygrok.model.Model;
import polygrok.model.ModelSpec;

/**
 * Runs that stop early (stop_test_acc): each ends at its own epoch with a final checkpoint of exactly
 * those weights and a summary that says why, and a group whose runs stop one by one shrinks without
 * changing a bit of the runs that go on.
 */
class TrainerStopTest {
    static final String TINY = """
            {"name": "tiny", "p": 11, "ops": ["add"], "train_fraction": 0.8,
             "model": {"d_model": 16, "num_heads": 2, "d_mlp": 32},
             "optimizer": {"lr": 0.02}, "epochs": 600, "eval_every": 5, "checkpoint_every": 0,
             "stop_test_acc": 0.3, "seeds": [1, 2, 3, 4], "backend": "cpuref"}""";

    static List<RunResult> train(ExperimentConfig c, Path out, List<String> messages) throws IOException {
        return train(c, out, false, false, messages);
    }

    /** Trains on cpuref, collecting the trainer's messages. */
    static List<RunResult> train(ExperimentConfig c, Path out, boolean resume, boolean overwrite, List<String> messages)
            throws IOException {
        ModelSpec spec = Experiments.modelSpec(c, Experiments.firstSplit(c));
        Trainer.Plan plan = Experiments.plan(c, spec, InitialWeights.FRESH, resume, SafeDType.F64).withOverwrite(overwrite);
        Trainer.Listener listener = new Trainer.Listener() {
            @Override
            public void message(String text) {
                messages.add(text);
            }
        };
        return new Trainer(new CpuRefBackend(), plan, Experiments.runs(c, out, InitialWeights.FRESH), listener, null, null).train();
    }

    @Test
    void runsStoppingAtDifferentEpochsEndAsIfTrainedAlone(@TempDir Path group, @TempDir Path alone) throws IOException {
        ExperimentConfig c = ConfigLoader.parse(TINY, "tiny.json");
        List<String> messages = new ArrayList<>();
        List<RunResult> together = train(c, group, messages);
        TreeSet<Integer> stops = new TreeSet<>();
        together.forEach(r -> stops.add(r.epochsRun()));
        assertTrue(stops.size() >= 2 && stops.first() < c.epochs(), "the test needs runs that stop early at different epochs; got "
                + together.stream().map(r -> r.name() + " " + r.epochsRun()).toList());
        assertTrue(messages.stream().anyMatch(m -> m.contains("continue on a model axis of their own")),
                "the group should have shrunk once half its runs ended; messages: " + messages);
        for (RunResult r : together) {
            long seed = r.seed();
            List<RunResult> one = train(c.withSeeds(List.of(seed)), alone, new ArrayList<>());
            Path g = group.resolve("tiny/seed_" + seed), a = alone.resolve("tiny/seed_" + seed);
            assertEquals(TrainerTest.metricsWithoutWallTime(a.resolve("metrics.jsonl")), TrainerTest.metricsWithoutWallTime(g.resolve("metrics.jsonl")),
                    "seed " + seed + ": every metrics line in the group as alone");
            ModelState ga = Checkpoints.read(g.resolve("checkpoints/final.safetensors"), layout(c));
            ModelState aa = Checkpoints.read(a.resolve("checkpoints/final.safetensors"), layout(c));
            assertEquals(r.epochsRun(), ga.epoch(), "seed " + seed + ": the final checkpoint holds the weights after the last epoch run");
            var meta = polygrok.io.Safetensors.read(g.resolve("checkpoints/final.safetensors")).metadata();
            assertEquals(Long.toString(seed), meta.get("seed"), "seed " + seed + ": the final checkpoint records its own run's seed,"
                    + " also when it was written after the group shrank");
            assertEquals(List.of(seed), ConfigLoader.parse(meta.get("config"), "metadata").seeds(),
                    "seed " + seed + ": the final checkpoint records its own run's config");
            assertEquals(one.get(0).epochsRun(), r.epochsRun(), "seed " + seed + ": epochs run");
            for (Map.Entry<String, double[]> e : aa.params().entrySet()) {
                assertArrayEquals(e.getValue(), ga.params().get(e.getKey()), "seed " + seed + ": final " + e.getKey());
                assertArrayEquals(aa.moment2().get(e.getKey()), ga.moment2().get(e.getKey()), "seed " + seed + ": final opt.v." + e.getKey());
            }
            JsonObject ended = JsonFiles.readObjectIfPresent(g.resolve("summary.json")).getAsJsonObject("ended");
            List<JsonObject> lines = JsonLines.read(g.resolve("metrics.jsonl"));
            JsonObject last = lines.get(lines.size() - 1);
            if (r.epochsRun() < c.epochs()) {
                assertEquals(RunEnd.GROKKED, ended.get("reason").getAsString(), "seed " + seed + ": " + ended);
                assertEquals(last.get("epoch").getAsInt(), ended.get("epoch").getAsInt(), "seed " + seed + ": the eval that stopped it is the last line");
                assertEquals(r.epochsRun(), ended.get("epoch").getAsInt() + 1, "seed " + seed + ": it stops after that epoch's step");
                assertTrue(last.get("test_acc").getAsDouble() >= c.stopTestAcc(), "seed " + seed + ": " + last);
                assertEquals(c.stopTestAcc(), ended.get("threshold").getAsDouble(), 0.0);
            } else {
                assertEquals(RunEnd.BUDGET, ended.get("reason").getAsString(), "seed " + seed + ": " + ended);
            }
        }
    }

    @Test
    void aRunThatNeverReachesTheThresholdEndsOnItsBudget(@TempDir Path out) throws IOException {
        ExperimentConfig c = ConfigLoader.parse(TINY, "tiny.json").withSeeds(List.of(1L)).withEpochs(20);
        RunResult r = train(c, out, new ArrayList<>()).get(0);
        assertEquals(20, r.epochsRun());
        assertEquals(RunEnd.BUDGET, r.end().reason());
        JsonObject ended = JsonFiles.readObjectIfPresent(out.resolve("tiny/seed_1/summary.json")).getAsJsonObject("ended");
        assertEquals("budget", ended.get("reason").getAsString());
        assertEquals(20, ended.get("epoch").getAsInt());
        assertTrue(ended.get("text").getAsString().contains("best test accuracy"), ended.toString());
    }

    static polygrok.model.ParameterLayout layout(ExperimentConfig c) {
        return Model.of(Experiments.modelSpec(c, Experiments.firstSplit(c))).layout();
    }
}
