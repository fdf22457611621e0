package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;
import polygrok.config.InitConfig;

/**
 * The optimizer options in training, on cpuref: each changes the run, a run continued from a
 * checkpoint takes the same bits as one that never stopped (the warm-up follows the checkpointed
 * step counter), frozen parameters stay as they started, and a resume that changes one is refused
 * while a config written before the options existed reads as their defaults.
 */
class OptimizerOptionsTrainingTest {
    static ExperimentConfig tiny(String options) {
        return ConfigLoader.parse(RunLifecycleTest.TINY.replace("\"optimizer\": {\"lr\": 0.01}",
                "\"optimizer\": {\"lr\": 0.01, " + options + "}"), "tiny.json");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\"type\": \"adam\", \"weight_decay\": 0.1", "\"warmup_steps\": 25", "\"orthogonal\": true",
            "\"type\": \"adam\", \"warmup_steps\": 25, \"orthogonal\": true, \"grad_filter\": {\"type\": \"ema\"}"})
    void aContinuedRunTakesTheSameBitsAsAnUnbrokenOne(String options, @TempDir Path whole, @TempDir Path broken, @TempDir Path plain)
            throws IOException {
        ExperimentConfig c = tiny(options);
        TrainerStopTest.train(c, whole, new ArrayList<>());
        TrainerStopTest.train(c.withEpochs(20), broken, new ArrayList<>());
        TrainerStopTest.train(c, broken, true, false, new ArrayList<>()); // continues the run that ended on its budget
        List<String> lines = new ArrayList<>(TrainerTest.metricsWithoutWallTime(Experiments.runDirectory(broken, c, 1).metricsFile()));
        lines.removeIf(l -> l.startsWith("{\"epoch\":19,"));
        List<String> unbroken = TrainerTest.metricsWithoutWallTime(Experiments.runDirectory(whole, c, 1).metricsFile());
        assertEquals(unbroken, lines, "every metrics line of the continued run");
        var layout = TrainerStopTest.layout(c);
        ModelState a = Checkpoints.read(Experiments.runDirectory(whole, c, 1).checkpoint("final"), layout);
        ModelState b = Checkpoints.read(Experiments.runDirectory(broken, c, 1).checkpoint("final"), layout);
        for (String name : a.params().keySet()) {
            assertArrayEquals(a.params().get(name), b.params().get(name), 0.0, "final " + name);
        }
        ExperimentConfig none = ConfigLoader.parse(RunLifecycleTest.TINY, "tiny.json");
        TrainerStopTest.train(none, plain, new ArrayList<>());
        assertNotEquals(unbroken, TrainerTest.metricsWithoutWallTime(Experiments.runDirectory(plain, none, 1).metricsFile()),
                "the option changes the run");
    }

    @Test
    void frozenParametersStayAsTheyStarted(@TempDir Path out) throws IOException {
        ExperimentConfig c = tiny("\"type\": \"adam\", \"warmup_steps\": 3, \"orthogonal\": true")
                .withInit(new InitConfig(null, null, null, List.of("embed"), null));
        var layout = TrainerStopTest.layout(c);
        InitialWeights init = InitialWeights.resolve(c.init(), layout, 1);
        var spec = Experiments.modelSpec(c, Experiments.firstSplit(c));
        new Trainer(new polygrok.backend.cpuref.CpuRefBackend(), Experiments.plan(c, spec, init, false, polygrok.io.SafeDType.F64),
                Experiments.runs(c, out, init), new Trainer.Listener() { }, null, null).train();
        RunDirectory dir = Experiments.runDirectory(out, c, 1);
        ModelState start = Checkpoints.read(dir.checkpoint("init"), layout), end = Checkpoints.read(dir.checkpoint("final"), layout);
        assertArrayEquals(start.params().get("embed.W_E"), end.params().get("embed.W_E"), 0.0, "the frozen random embedding");
    }

    @Test
    void aResumeThatChangesAnOptionIsRefusedAndAnOlderConfigReadsAsTheDefaults() {
        JsonObject before = JsonParser.parseString(ConfigLoader.toJson(tiny("\"warmup_steps\": 10"))).getAsJsonObject();
        for (String change : List.of("\"warmup_steps\": 20", "\"warmup_steps\": 10, \"type\": \"adam\"",
                "\"warmup_steps\": 10, \"orthogonal\": true")) {
            JsonObject now = JsonParser.parseString(ConfigLoader.toJson(tiny(change))).getAsJsonObject();
            var forbidden = ResumeCheck.forbidden(ResumeCheck.changes(before, now));
            assertEquals(1, forbidden.size(), change + ": " + forbidden);
            assertTrue(forbidden.get(0).field().startsWith("optimizer."), forbidden.get(0).describe());
        }
        JsonObject old = JsonParser.parseString(ConfigLoader.toJson(tiny("\"eps\": 1e-8"))).getAsJsonObject();
        JsonObject optimizer = old.getAsJsonObject("optimizer");
        optimizer.remove("type");
        optimizer.remove("warmup_steps");
        optimizer.remove("orthogonal");
        JsonObject now = JsonParser.parseString(ConfigLoader.toJson(tiny("\"eps\": 1e-8"))).getAsJsonObject();
        assertEquals(List.of(), ResumeCheck.changes(ResumeCheck.withDefaults(old), now), "a config.json written before the options");
    }
}
