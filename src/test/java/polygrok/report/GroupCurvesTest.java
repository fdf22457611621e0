package polygrok.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import polygrok.analysis.SyntheticRun;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configurations side by side: one chart per task, a colour per configuration, a line per seed. */
class GroupCurvesTest {
    @TempDir
    Path tmp;

    /** Two configurations of add (two seeds and one), and multiply on its own. */
    private List<Path> runs() {
        return List.of(
                SyntheticRun.write(tmp.resolve("add_s0"), "add_s0", List.of("add"), 0, 900),
                SyntheticRun.write(tmp.resolve("add_s1"), "add_s1", List.of("add"), 1, 1100),
                SyntheticRun.write(tmp.resolve("add_filtered_s0"), "add_filtered_s0", List.of("add"), 0, 2000),
                SyntheticRun.write(tmp.resolve("multiply_s0"), "multiply_s0", List.of("multiply"), 0, 1300));
    }

    @Test
    void oneChartPerTaskWithAColourPerConfigurationAndALinePerSeed() {
        Map<String, RunData> byLabel = new HashMap<>();
        List<RunSummary> summaries = new java.util.ArrayList<>();
        for (Path dir : runs()) {
            RunData run = RunData.load(dir);
            RunSummary s = RunSummary.of(run);
            byLabel.put(s.label(), run);
            summaries.add(s);
        }
        Map<String, XYChart> charts = GroupCurves.charts(SeedGroup.of(summaries), byLabel);
        assertEquals(2, charts.size(), "tasks: " + charts.keySet());
        String addTask = charts.keySet().stream().filter(k -> k.startsWith("add,")).findFirst().orElseThrow();
        Map<String, XYSeries> add = charts.get(addTask).getSeriesMap();
        assertEquals(3, add.size(), "a line per run of add: " + add.keySet());
        List<XYSeries> named = add.values().stream().filter(XYSeries::isShowInLegend).toList();
        assertEquals(2, named.size(), "the legend names each configuration once: " + add.keySet());
        assertTrue(add.containsKey("add (2 seeds)"), "the two-seed configuration says so: " + add.keySet());
        XYSeries addSeed0 = add.get("add (2 seeds)");
        XYSeries addSeed1 = add.values().stream().filter(s -> !s.isShowInLegend()).findFirst().orElseThrow();
        XYSeries filtered = add.get("add_filtered");
        assertEquals(addSeed0.getLineColor(), addSeed1.getLineColor(), "the seeds of one configuration share its colour");
        assertNotEquals(addSeed0.getLineColor(), filtered.getLineColor(), "another configuration has another colour");
    }

    @Test
    void aReportWithoutRunSectionsHoldsTheTablesAndTheCurvesOnly() throws Exception {
        runs();
        Path out = tmp.resolve("report.html");
        ReportBuilder.write("bench", List.of(tmp), out, null, false);
        String html = Files.readString(out);
        assertTrue(html.contains("<h2>Curves by configuration</h2>"), "the curves side by side");
        assertFalse(html.contains("<section class=\"run\""), "no section per run");
        assertFalse(html.contains("href=\"#run-"), "and no links to sections that are not there");
        int images = html.split("src=\"data:image/png;base64,", -1).length - 1;
        assertEquals(2, images, "one image per task and nothing else");
        String full = ReportBuilder.build("bench", List.of(tmp)).html();
        assertTrue(full.contains("<h2>Curves by configuration</h2>") && full.contains("<section class=\"run\"")
                && full.contains("href=\"#run-"), "the full report has both, its runs linked to their sections");
        assertTrue(full.length() > 4 * html.length(), "the page without run sections is the small one: " + html.length() + " vs " + full.length());
    }
}
