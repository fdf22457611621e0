package polygrok.config;

import org.junit.jupiter.api.Test;
import polygrok.data.OperandDomain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** "format" templates and "operand_domain" as a config file gives them: accepted, written back, refused with the field named. */
class DataOptionsConfigTest {

    private static ExperimentConfig parse(String fields) {
        return ConfigLoader.parse("{\"name\": \"t\", " + fields + "}", "t.json");
    }

    private static ConfigException refused(String fields) {
        return assertThrows(ConfigException.class, () -> parse(fields), fields);
    }

    @Test
    void grokfastsTaskReadsAndWritesBack() {
        ExperimentConfig c = parse("\"ops\": [\"multiply\"], \"format\": \"a * b =\", \"operand_domain\": \"b_nonzero\", \"train_fraction\": 0.5");
        assertEquals("a * b =", c.format());
        assertEquals("b_nonzero", c.operandDomain());
        String json = ConfigLoader.toJson(c);
        assertTrue(json.contains("\"format\": \"a * b =\"") && json.contains("\"operand_domain\": \"b_nonzero\""), json);
        assertEquals(c, ConfigLoader.parse(json, "t.json"), "read back");
        assertEquals("a b", parse("\"ops\": [\"add\"], \"format\": \"a b\"").format());
    }

    @Test
    void aDefaultConfigWritesNoOperandDomain() {
        ExperimentConfig c = parse("\"ops\": [\"add\"]");
        assertNull(c.operandDomain(), "absent: each operation's own");
        assertFalse(ConfigLoader.toJson(c).contains("operand_domain"), "a default run's config.json is unchanged");
        assertNull(parse("\"ops\": [\"add\"], \"operand_domain\": null").operandDomain(), "null reads as absent");
    }

    @Test
    void aBadFormatNamesTheFieldAndTheAllowedForms() {
        ConfigException token = refused("\"ops\": [\"add\"], \"format\": \"a % b\"");
        assertEquals("format", token.path());
        assertTrue(token.problem().contains("token '%'") && token.problem().contains("short, long, or a token template such as \"a * b =\""),
                token.getMessage());
        ConfigException upper = refused("\"ops\": [\"add\"], \"format\": \"Short\"");
        assertEquals("format", upper.path());
        ConfigException empty = refused("\"ops\": [\"add\"], \"format\": \" \"");
        assertTrue(empty.problem().contains("allowed: short, long"), empty.getMessage());
    }

    @Test
    void aTemplateThatMissesAnOperandNamesTheOperation() {
        ConfigException three = refused("\"ops\": [\"add_z\"], \"p\": 7, \"format\": \"a * b =\"");
        assertEquals("format", three.path());
        assertTrue(three.problem().contains("\"add_z\"") && three.problem().contains("takes 3 operands") && three.problem().contains("leaves out c"),
                three.getMessage());
        ConfigException mixture = refused("\"ops\": [\"add\", \"add_z\"], \"p\": 7, \"format\": \"a + b\"");
        assertEquals("format", mixture.path());
        assertTrue(mixture.problem().startsWith("ops[1]: "), mixture.getMessage());
        ConfigException suffix = refused("\"ops\": [\"x2_y2_short\"], \"format\": \"a + b\"");
        assertEquals("format", suffix.path());
        assertTrue(suffix.problem().contains("\"x2_y2\""), suffix.getMessage());
        ConfigException unknown = refused("\"ops\": [\"nope\"], \"format\": \"a b\"");
        assertEquals("ops[0]", unknown.path(), "an unknown operation is the operation's problem, not the template's");
    }

    @Test
    void aDomainAnOperationIsNotDefinedOnIsRefusedWithTheReason() {
        ConfigException all = refused("\"ops\": [\"division\"], \"operand_domain\": \"all\"");
        assertEquals("operand_domain", all.path());
        assertTrue(all.problem().contains("division") && all.problem().contains("b != 0") && all.problem().contains("\"b_nonzero\""),
                all.getMessage());
        assertEquals("nonzero", parse("\"ops\": [\"division\"], \"operand_domain\": \"nonzero\"").operandDomain());
        ConfigException plus5 = refused("\"ops\": [\"division\"], \"operand_range\": \"p+5\", \"operand_domain\": \"nonzero\"");
        assertEquals("operand_domain", plus5.path());
        ConfigException name = refused("\"ops\": [\"add\"], \"operand_domain\": \"b!=0\"");
        assertEquals("operand_domain", name.path());
        assertTrue(name.problem().contains("allowed: all, b_nonzero, nonzero"), name.getMessage());
    }

    @Test
    void aDomainThatMakesTwoTasksOneIsRefused() {
        parse("\"ops\": [\"multiply\", \"multiply_non_zero\"], \"task_tokens\": true");
        ConfigException same = refused("\"ops\": [\"multiply\", \"multiply_non_zero\"], \"task_tokens\": true, \"operand_domain\": \"nonzero\"");
        assertEquals("ops", same.path());
        assertTrue(same.problem().contains("computes the same task"), same.getMessage());
    }

    @Test
    void theConfigsDomainNamesAreTheDataPackagesNames() {
        assertEquals(ExperimentConfig.OPERAND_DOMAINS, OperandDomain.jsonNames());
    }
}
