package polygrok.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The top-level loss and loss_precision: defaults, validation, the JSON round trip and the sweep axes. */
class LossConfigTest {
    private static final String BASE = "{\"p\": 11, \"ops\": [\"add\"]";

    private static ExperimentConfig parse(String extra) {
        return ConfigLoader.parse(BASE + extra + "}", "l.json");
    }

    @Test
    void absentMeansTheSeedsFloat64CrossEntropyAndIsNotWritten() {
        ExperimentConfig c = parse("");
        assertEquals(LossConfig.DEFAULT, c.loss());
        String json = ConfigLoader.toJson(c);
        assertFalse(json.contains("\"loss"), "a cross-entropy config.json reads as before: " + json);
    }

    @Test
    void toJsonRoundTrips() {
        for (String extra : List.of(", \"loss\": \"stablemax\"", ", \"loss_precision\": \"float32\"",
                ", \"loss\": \"stablemax\", \"loss_precision\": \"float32\"")) {
            ExperimentConfig c = parse(extra);
            assertEquals(c, ConfigLoader.parse(ConfigLoader.toJson(c), "again.json"), extra);
        }
        assertEquals(new LossConfig("stablemax", "float32"), parse(", \"loss\": \"stablemax\", \"loss_precision\": \"float32\"").loss());
    }

    @Test
    void badValuesAreRefusedNamingTheFieldAndWhatIsAllowed() {
        ConfigException loss = assertThrows(ConfigException.class, () -> parse(", \"loss\": \"softmax\""));
        assertEquals("loss", loss.path());
        assertTrue(loss.getMessage().contains("allowed: cross_entropy, stablemax"), loss.getMessage());
        ConfigException precision = assertThrows(ConfigException.class, () -> parse(", \"loss_precision\": \"bf16\""));
        assertEquals("loss_precision", precision.path());
        assertTrue(precision.getMessage().contains("allowed: float64, float32"), precision.getMessage());
        assertThrows(ConfigException.class, () -> parse(", \"loss\": null"), "an explicit null is not a loss");
        assertThrows(ConfigException.class, () -> parse(", \"loss_precision\": 32"));
    }

    @Test
    void sweepAxesNameEachPoint() {
        SweepConfig s = SweepLoader.parse("{\"name\": \"s\", \"base\": " + BASE + "}, \"axes\": {\"loss\": [\"cross_entropy\", \"stablemax\"],"
                + " \"loss_precision\": [\"float64\", \"float32\"]}}", "s.json", null);
        List<SweepPoint> points = s.points();
        assertEquals(List.of("s_loss-cross_entropy_prec-float64", "s_loss-cross_entropy_prec-float32", "s_loss-stablemax_prec-float64",
                "s_loss-stablemax_prec-float32"), points.stream().map(SweepPoint::name).toList());
        assertEquals(new LossConfig("stablemax", "float32"), points.get(3).config().loss());
        ConfigException bad = assertThrows(ConfigException.class, () -> SweepLoader.parse("{\"name\": \"s\", \"base\": " + BASE
                + "}, \"axes\": {\"loss\": [\"stablemax\", \"hinge\"]}}", "s.json", null));
        assertTrue(bad.getMessage().contains("axes.loss[1]") && bad.getMessage().contains("allowed"), bad.getMessage());
    }
}
