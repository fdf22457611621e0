package polygrok.analysis.paper;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A run spelled with a format template or trained on another operand domain than its operation's is not the paper's setup. */
class PaperSetupDataTest {

    private static JsonObject config(String extra) {
        return JsonParser.parseString("{\"p\": 97, \"operand_range\": \"p+5\"" + extra + "}").getAsJsonObject();
    }

    @Test
    void theSeedsFormatsAndEachOperationsOwnDomainAreThePapers() {
        assertNull(PaperSetup.difference(config(", \"ops\": [\"add\"], \"format\": \"long\"")));
        assertNull(PaperSetup.difference(config(", \"ops\": [\"division\"], \"operand_domain\": \"b_nonzero\"")),
                "division's own domain, named");
    }

    @Test
    void aTemplateOrAnotherDomainIsSetAsideWithTheReason() {
        assertEquals("format \"a * b =\" (the paper's code spelled inputs in its short or long format)",
                PaperSetup.difference(config(", \"ops\": [\"multiply\"], \"format\": \"a * b =\"")));
        assertEquals("operand domain b_nonzero (the paper's code used each operation's own)",
                PaperSetup.difference(config(", \"ops\": [\"multiply\"], \"operand_domain\": \"b_nonzero\"")));
        assertEquals("operand domain nonzero (the paper's code used each operation's own)",
                PaperSetup.difference(config(", \"ops\": [\"division\"], \"operand_domain\": \"nonzero\"")));
    }
}
