package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;

/**
 * The loss options in training, on cpuref: each changes the run, a continued run takes the same bits
 * as an unbroken one, softmax_collapse is logged at every eval and in summary.json's final metrics,
 * and a resume that changes the loss is refused.
 */
class LossTrainingTest {
    static ExperimentConfig tiny(String loss, String precision) {
        return ConfigLoader.parse(RunLifecycleTest.TINY.replace("\"seeds\": [1]",
                "\"seeds\": [1], \"loss\": \"" + loss + "\", \"loss_precision\": \"" + precision + "\""), "tiny.json");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"stablemax, float64", "cross_entropy, float32", "stablemax, float32"})
    void aContinuedRunTakesTheSameBitsAndTheLossChangesTheRun(String loss, String precision, @TempDir Path whole,
                                                              @TempDir Path broken, @TempDir Path plain) throws IOException {
        ExperimentConfig c = tiny(loss, precision);
        TrainerStopTest.train(c, whole, new ArrayList<>());
        TrainerStopTest.train(c.withEpochs(20), broken, new ArrayList<>());
        TrainerStopTest.train(c, broken, true, false, new ArrayList<>());
        List<String> lines = new ArrayList<>(TrainerTest.metricsWithoutWallTime(Experiments.runDirectory(broken, c, 1).metricsFile()));
        lines.removeIf(l -> l.startsWith("{\"epoch\":19,"));
        List<String> unbroken = TrainerTest.metricsWithoutWallTime(Experiments.runDirectory(whole, c, 1).metricsFile());
        assertEquals(unbroken, lines, "every metrics line of the continued run");
        for (String l : unbroken) {
            JsonObject o = JsonParser.parseString(l).getAsJsonObject();
            assertTrue(Double.isFinite(o.get("train_loss").getAsDouble()), l);
            double collapse = o.get("softmax_collapse").getAsDouble();
            assertTrue(collapse >= 0 && collapse <= 1, "softmax_collapse is a fraction: " + l);
        }
        JsonObject summary = JsonParser.parseString(Files.readString(Experiments.runDirectory(whole, c, 1).summaryFile()))
                .getAsJsonObject();
        assertTrue(summary.getAsJsonObject("final").has("softmax_collapse"), "summary.json's final metrics: " + summary);
        ExperimentConfig none = ConfigLoader.parse(RunLifecycleTest.TINY, "tiny.json");
        TrainerStopTest.train(none, plain, new ArrayList<>());
        assertNotEquals(unbroken, TrainerTest.metricsWithoutWallTime(Experiments.runDirectory(plain, none, 1).metricsFile()),
                "the loss changes the run");
    }

    @Test
    void aResumeThatChangesTheLossIsRefused() {
        JsonObject before = JsonParser.parseString(ConfigLoader.toJson(ConfigLoader.parse(RunLifecycleTest.TINY, "tiny.json")))
                .getAsJsonObject();
        for (ExperimentConfig now : List.of(tiny("stablemax", "float64"), tiny("cross_entropy", "float32"))) {
            var forbidden = ResumeCheck.forbidden(ResumeCheck.changes(ResumeCheck.withDefaults(before),
                    JsonParser.parseString(ConfigLoader.toJson(now)).getAsJsonObject()));
            assertTrue(forbidden.stream().anyMatch(ch -> ch.field().startsWith("loss")), "refused: " + forbidden);
        }
        // a config written before the option existed reads as the seed's loss: no change
        assertEquals(List.of(), ResumeCheck.changes(ResumeCheck.withDefaults(before), before));
    }
}
