package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;
import polygrok.config.GradFilterConfig;
import polygrok.config.InitConfig;

/**
 * The gradient filter in training, on cpuref: it changes the run (it is applied), a run continued
 * from a checkpoint takes the same bits as one that never stopped (the filter's state is in the
 * checkpoint), and frozen parameters stay exactly as they started.
 */
class GradFilterTrainingTest {
    static ExperimentConfig tiny(String filter) {
        return ConfigLoader.parse(RunLifecycleTest.TINY.replace("\"optimizer\": {\"lr\": 0.01}",
                "\"optimizer\": {\"lr\": 0.01, \"grad_filter\": " + filter + "}"), "tiny.json");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"type\": \"ema\", \"alpha\": 0.9, \"lambda\": 2}", "{\"type\": \"ma\", \"window\": 4, \"lambda\": 5}"})
    void aContinuedRunTakesTheSameBitsAsAnUnbrokenOne(String filter, @TempDir Path whole, @TempDir Path broken, @TempDir Path plain)
            throws IOException {
        ExperimentConfig c = tiny(filter);
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
            assertArrayEquals(a.filter().get(name), b.filter().get(name), 0.0, "final filter state of " + name);
        }
        assertEquals(30, a.filterCount(), "the filter ran once per epoch");
        ExperimentConfig none = ConfigLoader.parse(RunLifecycleTest.TINY, "tiny.json");
        TrainerStopTest.train(none, plain, new ArrayList<>());
        assertNotEquals(unbroken, TrainerTest.metricsWithoutWallTime(Experiments.runDirectory(plain, none, 1).metricsFile()),
                "the filter changes the run");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {GradFilterConfig.EMA, GradFilterConfig.MA})
    void frozenParametersStayAsTheyStarted(String type, @TempDir Path out) throws IOException {
        ExperimentConfig c = tiny("ema".equals(type) ? "{\"type\": \"ema\"}" : "{\"type\": \"ma\", \"window\": 3}").withInit(new InitConfig(null, null, null, List.of("embed"), null));
        var layout = TrainerStopTest.layout(c);
        InitialWeights init = InitialWeights.resolve(c.init(), layout, 1);
        var spec = Experiments.modelSpec(c, Experiments.firstSplit(c));
        new Trainer(new polygrok.backend.cpuref.CpuRefBackend(), Experiments.plan(c, spec, init, false, polygrok.io.SafeDType.F64),
                Experiments.runs(c, out, init), new Trainer.Listener() { }, null, null).train();
        RunDirectory dir = Experiments.runDirectory(out, c, 1);
        ModelState start = Checkpoints.read(dir.checkpoint("init"), layout), end = Checkpoints.read(dir.checkpoint("final"), layout);
        assertArrayEquals(start.params().get("embed.W_E"), end.params().get("embed.W_E"), 0.0, "the frozen random embedding");
        assertArrayEquals(new double[end.filter().get("embed.W_E").length], end.filter().get("embed.W_E"), 0.0,
                "the filter keeps no state for frozen parameters");
    }
}
