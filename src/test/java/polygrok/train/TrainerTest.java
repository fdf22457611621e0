package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;
import polygrok.io.JsonLines;
import polygrok.io.SafeDType;
import polygrok.model.ModelSpec;

/** The training driver on cpuref with a tiny task: learning, files, checkpoints, resume, stop, NaN. */
class TrainerTest {
    static final String TINY = """
            {"name": "tiny", "p": 11, "ops": ["add"], "train_fraction": 0.6,
             "model": {"d_model": 16, "num_heads": 2, "d_mlp": 32},
             "optimizer": {"lr": 0.01}, "epochs": 60, "eval_every": 5, "checkpoint_every": 20,
             "seeds": [1, 2], "backend": "cpuref"}""";

    static ExperimentConfig tiny() {
        return ConfigLoader.parse(TINY, "tiny.json");
    }

    static List<RunResult> train(ExperimentConfig c, Path out, boolean resume, Trainer.Listener listener,
                                 AtomicBoolean stop) throws IOException {
        ModelSpec spec = Experiments.modelSpec(c, Experiments.firstSplit(c));
        Trainer.Plan plan = Experiments.plan(c, spec, InitialWeights.FRESH, resume, SafeDType.F64);
        return new Trainer(new CpuRefBackend(), plan, Experiments.runs(c, out, InitialWeights.FRESH), listener, null, stop).train();
    }

    static List<String> metricsWithoutWallTime(Path file) throws IOException {
        return JsonLines.read(file).stream().map(o -> {
            o.remove("wall_s");
            return o.toString();
        }).toList();
    }

    @Test
    void aTinyTaskFitsItsTrainSetAndWritesItsRunDirectory(@TempDir Path out) throws IOException {
        List<RunResult> results = train(tiny(), out, false, new Trainer.Listener() { }, null);
        assertEquals(2, results.size());
        for (RunResult r : results) {
            assertEquals(1.0, r.last().get("train_acc").getAsDouble(), 0.0, r.name() + " should fit its 72 training pairs");
            assertEquals(60, r.epochsRun());
        }
        Path dir = out.resolve("tiny/seed_1");
        for (String f : List.of("config.json", "metrics.jsonl", "summary.json", "checkpoints/init.safetensors",
                "checkpoints/epoch_20.safetensors", "checkpoints/epoch_40.safetensors", "checkpoints/final.safetensors")) {
            assertTrue(Files.exists(dir.resolve(f)), "missing " + f);
        }
        List<JsonObject> lines = JsonLines.read(dir.resolve("metrics.jsonl"));
        assertEquals(13, lines.size(), "evals at epochs 0, 5, ..., 55 and the last epoch 59");
        assertEquals(59, lines.get(lines.size() - 1).get("epoch").getAsInt());
        JsonObject summary = JsonParser.parseString(Files.readString(dir.resolve("summary.json"))).getAsJsonObject();
        assertTrue(summary.getAsJsonObject("epochs_to_acc").has("0.99"), "null thresholds are written too: " + summary);
        ExperimentConfig back = ConfigLoader.load(dir.resolve("config.json"));
        assertEquals(List.of(1L), back.seeds(), "the run's config.json reads back with its own seed");
    }

    @Test
    void theSameSeedGivesTheSameBits(@TempDir Path a, @TempDir Path b) throws IOException {
        train(tiny(), a, false, new Trainer.Listener() { }, null);
        train(tiny(), b, false, new Trainer.Listener() { }, null);
        assertEquals(metricsWithoutWallTime(a.resolve("tiny/seed_2/metrics.jsonl")),
                metricsWithoutWallTime(b.resolve("tiny/seed_2/metrics.jsonl")));
    }

    @Test
    void anInterruptedRunResumesBitIdentically(@TempDir Path whole, @TempDir Path broken) throws IOException {
        train(tiny(), whole, false, new Trainer.Listener() { }, null);
        AtomicBoolean stop = new AtomicBoolean();
        List<RunResult> first = train(tiny(), broken, false, new Trainer.Listener() {
            @Override
            public void evaluated(int epoch, List<Trainer.Run> runs, List<MetricsLine> lines) {
                if (epoch == 25) {
                    stop.set(true); // as Ctrl-C does
                }
            }
        }, stop);
        assertTrue(first.get(0).interrupted());
        assertTrue(Files.exists(broken.resolve("tiny/seed_1/checkpoints/epoch_26.safetensors")), "checkpoint on interrupt");
        assertFalse(Files.exists(broken.resolve("tiny/seed_1/summary.json")), "an interrupted run has no summary");
        train(tiny(), broken, true, new Trainer.Listener() { }, null);
        for (String seed : List.of("seed_1", "seed_2")) {
            assertEquals(metricsWithoutWallTime(whole.resolve("tiny/" + seed + "/metrics.jsonl")),
                    metricsWithoutWallTime(broken.resolve("tiny/" + seed + "/metrics.jsonl")), seed + " metrics after resume");
            ModelState w = Checkpoints.read(whole.resolve("tiny/" + seed + "/checkpoints/final.safetensors"),
                    Experiments.layout(tiny()));
            ModelState r = Checkpoints.read(broken.resolve("tiny/" + seed + "/checkpoints/final.safetensors"),
                    Experiments.layout(tiny()));
            for (String name : w.params().keySet()) {
                assertArrayEquals(w.params().get(name), r.params().get(name), 0.0, seed + " " + name);
                assertArrayEquals(w.moment2().get(name), r.moment2().get(name), 0.0, seed + " opt.v." + name);
            }
            assertEquals(w.step(), r.step());
        }
    }

    @Test
    void aNonFiniteLossStopsTheRunAndSaysWhy(@TempDir Path out) throws IOException {
        ExperimentConfig c = tiny().withSeeds(List.of(4L));
        ModelSpec spec = Experiments.modelSpec(c, Experiments.firstSplit(c));
        double[] nan = new double[spec.dModel() * spec.vocab()];
        java.util.Arrays.fill(nan, Double.NaN);
        InitialWeights poisoned = new InitialWeights(Map.of("embed.W_E", nan), java.util.Set.of(), null);
        Trainer.Plan plan = Experiments.plan(c, spec, poisoned, false, SafeDType.F64);
        List<RunResult> results = new Trainer(new CpuRefBackend(), plan, Experiments.runs(c, out, poisoned),
                new Trainer.Listener() { }, null, null).train();
        assertNotNull(results.get(0).nonFinite(), "a NaN loss must stop the run");
        assertTrue(results.get(0).nonFinite().contains("epoch 0"), results.get(0).nonFinite());
        assertFalse(Files.exists(out.resolve("tiny/seed_4/checkpoints/final.safetensors")), "no final checkpoint of NaN weights");
        assertTrue(Files.readString(out.resolve("tiny/seed_4/summary.json")).contains("non-finite loss"));
    }
}
