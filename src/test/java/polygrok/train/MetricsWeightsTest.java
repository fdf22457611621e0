package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import polygrok.backend.Backend;
import polygrok.backend.cpu.CpuBackend;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;
import polygrok.io.JsonLines;
import polygrok.io.SafeDType;
import polygrok.model.ModelSpec;

/**
 * The weight norms on the metrics line of epoch e are those of the weights before epoch e's step, as
 * the seed logs them (and as the losses on the same line are): at epoch 0 the initial weights, at
 * epoch N the weights a checkpoint after N epochs holds. Also for the Fourier measures' weights.
 */
class MetricsWeightsTest {
    static final String TINY = """
            {"name": "tiny", "p": 11, "ops": ["add"], "train_fraction": 0.6,
             "model": {"d_model": 16, "num_heads": 2, "d_mlp": 32},
             "optimizer": {"lr": 0.01}, "epochs": 12, "eval_every": 5, "checkpoint_every": 5,
             "seeds": [1, 2], "backend": "cpuref"}""";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpuref", "cpu"})
    void normsAndMeasuredWeightsAreThoseBeforeTheEpochsStep(String backendName, @TempDir Path out) throws IOException {
        ExperimentConfig c = ConfigLoader.parse(TINY, "tiny.json");
        ModelSpec spec = Experiments.modelSpec(c, Experiments.firstSplit(c));
        boolean f64 = backendName.equals("cpuref");
        Trainer.Plan plan = Experiments.plan(c, spec, InitialWeights.FRESH, false, f64 ? SafeDType.F64 : SafeDType.F32);
        Map<String, Map<Integer, Double>> measuredWE = new java.util.HashMap<>();
        Trainer.MeasureHook hook = (epoch, run, params) -> {
            double sum = 0;
            for (double v : params.get("embed.W_E")) {
                sum += v * v;
            }
            measuredWE.computeIfAbsent(run.name(), k -> new java.util.HashMap<>()).put(epoch, Math.sqrt(sum));
            return Map.of();
        };
        try (Backend be = f64 ? new CpuRefBackend() : new CpuBackend()) {
            new Trainer(be, plan, Experiments.runs(c, out, InitialWeights.FRESH), new Trainer.Listener() { }, hook, null).train();
        }
        // float32 weights, norms summed in float64 either way; cpu's sum order differs from this loop's
        double tol = f64 ? 1e-12 : 1e-6;
        for (long seed : c.seeds()) {
            Path dir = out.resolve("tiny/seed_" + seed);
            List<JsonObject> lines = JsonLines.read(dir.resolve("metrics.jsonl"));
            for (int epoch : new int[]{0, 5, 10}) {
                String file = epoch == 0 ? "init" : "epoch_" + epoch;
                ModelState weights = Checkpoints.read(dir.resolve("checkpoints/" + file + ".safetensors"), TrainerStopTest.layout(c));
                JsonObject line = lines.stream().filter(l -> l.get("epoch").getAsInt() == epoch).findFirst().orElseThrow();
                for (var e : weights.params().entrySet()) {
                    double l1 = 0, l2 = 0;
                    for (double v : e.getValue()) {
                        l1 += Math.abs(v);
                        l2 += v * v;
                    }
                    l2 = Math.sqrt(l2);
                    JsonObject norms = line.getAsJsonObject("norms").getAsJsonObject(e.getKey());
                    assertEquals(l1, norms.get("l1").getAsDouble(), tol * l1, backendName + " seed " + seed + " epoch " + epoch + " "
                            + e.getKey() + " L1: the metrics line against the weights of " + file);
                    assertEquals(l2, norms.get("l2").getAsDouble(), tol * l2, backendName + " seed " + seed + " epoch " + epoch + " "
                            + e.getKey() + " L2: the metrics line against the weights of " + file);
                    if (e.getKey().equals("embed.W_E")) {
                        assertEquals(l2, measuredWE.get("tiny/seed_" + seed).get(epoch), tol * l2, backendName + " seed " + seed
                                + " epoch " + epoch + ": the weights a measure hook sees against " + file);
                    }
                }
            }
            assertTrue(lines.size() >= 3);
        }
    }
}
