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

    @Test
    void severalTablesMakeOnePageWithOneCountOverAll(@TempDir Path tmp) throws IOException {
        Path runs = tmp.resolve("runs");
        ReproductionTest.scratch(runs, "add_f0.3", "add", 0.3, 10000, 3190, 0.991);              // A.5: agrees
        ReproductionTest.scratch(runs, "x_x_y_f0.3", "x_x_y", 0.3, 10000, null, 0.03);            // A.5 agrees, Table 1 scratch agrees
        ReproductionTest.scratch(runs.resolve("sources"), "add_f0.3", "add", 0.3, 10000, 3000, 1.0); // the same draw again (a source): counted once
        for (Path run : List.of(runs.resolve("add_f0.3/seed_0"), runs.resolve("sources/add_f0.3/seed_0"))) {
            Files.writeString(run.resolve("metrics.jsonl"), "{\"epoch\": 0, \"test_acc\": 0.01}\n{\"epoch\": 10, \"test_acc\": 0.5}\n");
        }
        polygrok.config.InitConfig pgE = new polygrok.config.InitConfig("src.safetensors", List.of("embed"), List.of("embed"), null, "");
        ReproductionTest.run(runs, "x_x_y_add_pge", List.of("x_x_y"), 0.3, 10000, null, 0.57, true, pgE, "add", null); // budget
        ReproductionTest.run(runs, "elementary", List.of("add", "subtract", "multiply"), 0.3, 20000, null, 0.9, true, null, null,
                java.util.Map.of("add", 1.0, "subtract", 0.95, "multiply", 0.7));                 // mixtures: agrees
        Path html = tmp.resolve("index.html");
        String out = SweepCommandTest.run("report", runs.toString(), "--against", "table_a5,table_1,mixtures", "-o", html.toString());
        String count = "5 cells compared: 4 agree, 0 disagree, 1 budget-limited";
        assertTrue(out.startsWith("counted once: " + runs.resolve("sources/add_f0.3/seed_0")), "one draw, one count: " + out);
        assertTrue(out.contains("\n" + count + "\n"), out);
        String page = Files.readString(html);
        assertTrue(page.contains("Counted once"), "the page names the run it did not count twice");
        assertTrue(page.indexOf(count) > 0 && page.indexOf(count) < page.indexOf("<h2>"), "the overall count heads the page");
        for (String section : List.of("Table A.5", "Table 1", "mixtures")) {
            assertTrue(page.contains("<h2>") && page.toLowerCase().contains(section.toLowerCase()), "a section for " + section);
        }
        assertTrue(page.contains("2 cells compared: 2 agree, 0 disagree, 0 budget-limited"), "each table's own count in its section");
        List<String> csv = Files.readAllLines(tmp.resolve("index.csv"));
        assertEquals("# " + count, csv.get(0));
        assertEquals(2 + 5, csv.size(), String.join("\n", csv));
        List<String> md = Files.readAllLines(tmp.resolve("index.md"));
        assertEquals("**" + count + "**", md.get(0));
        assertTrue(md.stream().anyMatch(l -> l.startsWith("| 2a+b (x_x_y) | add PG-E |") && l.endsWith("| budget-limited |")), String.join("\n", md));
    }

    /** Runs kept in a results record have curve.csv instead of metrics.jsonl; the cells that do not agree get a chart of their own. */
    @Test
    void recordedCurvesAreDrawnAndTheOpenCellsApart(@TempDir Path tmp) throws IOException {
        Path runs = tmp.resolve("record");
        Path add = ReproductionTest.scratch(runs, "add_f0.3", "add", 0.3, 10000, 3190, 0.991);
        Path sub = ReproductionTest.scratch(runs, "subtract_f0.3", "subtract", 0.3, 10000, null, 0.2);
        for (Path run : List.of(add, sub)) {
            Files.writeString(run.resolve("curve.csv"), "epoch,train_loss,train_acc,test_loss,test_acc\n0,4.6,0.01,4.6,0.01\n10,1.0,0.9,3.0,0.2\n");
        }
        Path html = tmp.resolve("repro.html");
        SweepCommandTest.run("report", runs.toString(), "--against", "table_a5", "-o", html.toString());
        String page = Files.readString(html);
        assertTrue(page.contains("alt=\"test accuracy of every compared run"), "the curves of every compared run, from curve.csv");
        assertTrue(page.contains("that do not agree\" src=\"data:image/png;base64,"), "the budget-limited cell's curve on its own");

        Files.delete(sub.resolve("summary.json")); // only the agreeing cell is compared now
        SweepCommandTest.run("report", runs.toString(), "--against", "table_a5", "-o", html.toString());
        assertTrue(!Files.readString(html).contains("that do not agree\" src="), "no such chart when every cell agrees");
    }
}
