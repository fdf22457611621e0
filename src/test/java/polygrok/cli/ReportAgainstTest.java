package polygrok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.analysis.paper.ReproductionTest;

/** `polygrok report DIR --against table_a5`: the count first, in the printed output, the HTML and the CSV. */
class ReportAgainstTest {
    @Test
    void theAgreementCountComesFirstEverywhere(@TempDir Path tmp) throws IOException {
        Path runs = tmp.resolve("runs");
        ReproductionTest.scratch(runs, "add_f0.3", "add", 0.3, 10000, 3190, 0.991);
        ReproductionTest.scratch(runs, "subtract_f0.3", "subtract", 0.3, 10000, null, 0.2);
        Path html = tmp.resolve("repro.html");
        String out = SweepCommandTest.run("report", runs.toString(), "--against", "table_a5", "-o", html.toString());
        String count = "2 cells compared: 1 agree, 0 disagree, 1 budget-limited";
        assertTrue(out.startsWith(count), out);
        String page = Files.readString(html);
        assertTrue(page.indexOf(count) > 0 && page.indexOf(count) < page.indexOf("<table"), "the count heads the page");
        assertTrue(page.contains("budget-limited") && page.contains("Table A.5, row a−b, column r = 0.3"), "verdict and source per cell");
        assertTrue(page.contains("<table class=\"grid\">") && page.contains("<td class=\"budget\"") && page.contains("\u2713 / \u2713 3190"),
                "the cells laid out as the paper's table, paper / ours, coloured by verdict");
        List<String> csv = Files.readAllLines(tmp.resolve("repro.csv"));
        assertEquals("# " + count, csv.get(0));
    }
}
