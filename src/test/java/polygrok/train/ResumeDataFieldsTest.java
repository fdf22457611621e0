package polygrok.train;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A resume refuses a change of the format or the operand domain, as of any field that changes the data. */
class ResumeDataFieldsTest {
    private static final ExperimentConfig BASE = ExperimentConfig.defaults("t", List.of("multiply"));

    private static List<String> forbidden(ExperimentConfig before, ExperimentConfig now) {
        JsonObject recorded = JsonParser.parseString(ConfigLoader.toJson(before)).getAsJsonObject();
        JsonObject next = JsonParser.parseString(ConfigLoader.toJson(now)).getAsJsonObject();
        return ResumeCheck.forbidden(ResumeCheck.changes(ResumeCheck.withDefaults(recorded), next)).stream()
                .map(ResumeCheck.Change::field).toList();
    }

    @Test
    void settingOrChangingTheOperandDomainIsRefused() {
        ExperimentConfig grokfast = BASE.toBuilder().operandDomain("b_nonzero").build();
        assertEquals(List.of("operand_domain"), forbidden(BASE, grokfast), "absent -> b_nonzero");
        assertEquals(List.of("operand_domain"), forbidden(grokfast, BASE), "b_nonzero -> absent");
        assertEquals(List.of("operand_domain"), forbidden(grokfast, BASE.toBuilder().operandDomain("nonzero").build()), "b_nonzero -> nonzero");
    }

    @Test
    void changingTheFormatIsRefused() {
        assertEquals(List.of("format"), forbidden(BASE, BASE.toBuilder().format("a * b =").build()), "short -> template");
        assertEquals(List.of("format"), forbidden(BASE.toBuilder().format("a * b =").build(), BASE.toBuilder().format("a b").build()),
                "template -> template");
    }

    @Test
    void aRecordedDefaultConfigWithoutTheNewFieldResumesUnchanged() {
        JsonObject old = JsonParser.parseString(ConfigLoader.toJson(BASE)).getAsJsonObject();
        assertTrue(ResumeCheck.changes(ResumeCheck.withDefaults(old), old).isEmpty(), "no change read into an old config.json");
    }
}
