package polygrok.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportTest {
    @TempDir
    Path tmp;

    @Test
    void reportIsSelfContainedAndHoldsEveryRunAndTheSeedSummary() throws Exception {
        List<Path> runs = SyntheticRuns.write(tmp.resolve("sweep"));
        Path out = tmp.resolve("report.html");
        ReportBuilder.write("synthetic sweep", List.of(tmp.resolve("sweep")), out, tmp.resolve("report.csv")); // a directory of runs expands
        String html = Files.readString(out);
        for (Path r : runs) {
            String label = r.getFileName().toString();
            assertTrue(html.contains("id=\"run-" + label + "\""), "report has no section for run " + label);
        }
        // nothing is fetched: no external URLs in src/href, no scripts, no stylesheets by link
        Matcher external = Pattern.compile("(src|href)=\"(?!data:|#)[^\"]*\"").matcher(html);
        assertFalse(external.find(), "report references something outside itself: " + (external.hitEnd() ? "" : external.group()));
        assertFalse(html.contains("<script"), "report must not need scripts");
        assertFalse(html.contains("<link"), "report must inline its CSS");
        int images = html.split("src=\"data:image/png;base64,", -1).length - 1;
        assertTrue(images >= 4 * 12, "expected at least 12 inline images per run, got " + images + " in all");
        // the two add seeds form one configuration row with 2 seeds, both grokked
        assertTrue(html.contains("<td>add</td><td class=\"text\">add</td><td>23</td><td>0.30</td><td>2</td><td class=\"ok\">2/2</td>"),
                "summary row for add over two seeds is missing");
        assertTrue(html.contains("Per-task accuracy"), "the mixture run has a per-task plot");
        assertTrue(html.contains("discrete-log spectrum"), "the multiply run has a discrete-log spectrum");
        List<String> csv = Files.readAllLines(tmp.resolve("report.csv"));
        assertEquals(4, csv.size(), "CSV: header and one row per configuration");
        String[] add = csv.get(1).split(",", -1);
        assertEquals("add", add[0], "first configuration");
        assertEquals("2", add[4], "seeds of add");
        assertEquals("1.00000", add[6], "grokked fraction of add");
        // epochs to 99% of the two seeds: 1280 and 1480 (the synthetic curves) -> mean 1380, sample std 141.42
        assertEquals(1380.0, Double.parseDouble(add[11]), 1e-9, "epochs to 99% mean");
        assertEquals(Math.sqrt(20000), Double.parseDouble(add[12]), 1e-2, "epochs to 99% sample std");
    }

    @Test
    void analyzeWritesPlotsUnderTheRunDirectory() throws Exception {
        Path run = SyntheticRuns.write(tmp.resolve("sweep")).get(0);
        RunFigures figures = RunPlots.drawAndWrite(RunData.load(run));
        for (String name : new String[]{"accuracy.png", "loss.png", "progress.png", "spectrum_init.png", "spectrum_grok.png",
                "spectrum_end.png", "pca.png", "heatmap_embed.W_E.png", "hist_unembed.W_U.png"}) {
            Path f = run.resolve("plots").resolve(name);
            assertTrue(Files.size(f) > 1000, "plot " + f + " is missing or tiny");
        }
        assertEquals(8, figures.heatmaps().size(), "one heatmap per parameter of rank >= 2");
    }

    @Test
    void seedSuffixesAreStrippedForGrouping() {
        assertEquals("add", SeedGroup.baseName("add_s12"), "_s12");
        assertEquals("x2_y2", SeedGroup.baseName("x2_y2-seed3"), "-seed3");
        assertEquals("x2_y2", SeedGroup.baseName("x2_y2"), "no suffix");
        assertEquals("quick_add", SeedGroup.baseName("quick_add/seed_0"), "/seed_0 (the trainer's run names)");
    }

    @org.junit.jupiter.api.Test
    void aRunsOptimizerAndGradFilterAreAmongItsFacts() {
        com.google.gson.JsonObject config = com.google.gson.JsonParser.parseString(
                "{\"optimizer\": {\"lr\": 0.001, \"weight_decay\": 1.0, \"grad_filter\": {\"type\": \"ema\", \"alpha\": 0.98, \"lambda\": 2.0}}}")
                .getAsJsonObject();
        org.junit.jupiter.api.Assertions.assertEquals("AdamW lr 0.001, weight decay 1, grad filter EMA (alpha 0.98, lambda 2)",
                HtmlReport.optimizerFact(config));
    }

    @org.junit.jupiter.api.Test
    void adamWarmUpAndOrthogonalAreAmongARunsFacts() {
        com.google.gson.JsonObject config = com.google.gson.JsonParser.parseString("{\"optimizer\": {\"lr\": 0.001, \"weight_decay\": 0.005,"
                + " \"type\": \"adam\", \"warmup_steps\": 10, \"orthogonal\": true}}").getAsJsonObject();
        org.junit.jupiter.api.Assertions.assertEquals("Adam (coupled L2) lr 0.001, weight decay 0.005, lr warm-up 10 steps,"
                + " then orthogonal gradient (⊥Grad)", HtmlReport.optimizerFact(config));
        com.google.gson.JsonObject plain = com.google.gson.JsonParser.parseString("{\"optimizer\": {\"lr\": 0.001, \"weight_decay\": 1,"
                + " \"type\": \"adamw\", \"warmup_steps\": 0, \"orthogonal\": false}}").getAsJsonObject();
        org.junit.jupiter.api.Assertions.assertEquals("AdamW lr 0.001, weight decay 1", HtmlReport.optimizerFact(plain));
    }

    @org.junit.jupiter.api.Test
    void dataSwitchesOtherThanThePapersAreAmongARunsFacts() {
        com.google.gson.JsonObject grokfast = com.google.gson.JsonParser.parseString("{\"format\": \"a * b =\", \"operand_range\": \"p\","
                + " \"operand_domain\": \"b_nonzero\"}").getAsJsonObject();
        org.junit.jupiter.api.Assertions.assertEquals("format a * b =, operand domain b_nonzero", HtmlReport.dataFact(grokfast));
        com.google.gson.JsonObject seed = com.google.gson.JsonParser.parseString("{\"format\": \"long\", \"operand_range\": \"p+5\"}")
                .getAsJsonObject();
        org.junit.jupiter.api.Assertions.assertEquals("format long, operands 0..p+4", HtmlReport.dataFact(seed));
        com.google.gson.JsonObject paper = com.google.gson.JsonParser.parseString("{\"format\": \"short\", \"operand_range\": \"p\"}")
                .getAsJsonObject();
        org.junit.jupiter.api.Assertions.assertNull(HtmlReport.dataFact(paper), "the paper's data: no fact");
    }
}
