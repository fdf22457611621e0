package polygrok.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import polygrok.analysis.paper.CellComparison;
import polygrok.analysis.paper.Reproduction;
import polygrok.analysis.paper.ReproductionSet;
import polygrok.analysis.paper.RunCurve;
import polygrok.analysis.paper.Verdict;
import polygrok.io.AtomicFiles;

/**
 * The paper beside our runs as one self-contained HTML page: the agreement count first, then a row per
 * compared cell (paper value, ours, verdict, why, where in the paper the cell is).
 */
public final class ReproductionHtml {
    private ReproductionHtml() {
    }

    public static void write(ReproductionSet set, String title, Path file) {
        try {
            AtomicFiles.writeString(file, render(set, title));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    static String render(ReproductionSet set, String title) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(Html.esc(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        h.append("<p class=\"headline\">").append(Html.esc(set.headline())).append("</p>\n");
        h.append("<h1>").append(Html.esc(title)).append("</h1>\n");
        h.append("<p>A cell agrees when the majority of its seeds grokked (test accuracy reached 99%) exactly where the paper ")
                .append("reports grokking; it is <em>budget-limited</em> when the paper groks and ours did not within a budget shorter than ")
                .append("the paper's, so it could still have grokked; any other difference disagrees. Runs trained in another setup than ")
                .append("the paper's are listed as not comparable and not counted.</p>\n");
        for (Reproduction r : set.tables()) {
            section(h, r, set.tables().size() > 1);
        }
        return h.append("</body>\n</html>\n").toString();
    }

    /** One table: its own count when there are several, its runs, the grid, the curves and a row per compared cell. */
    private static void section(StringBuilder h, Reproduction r, boolean several) {
        h.append("<h2>").append(Html.esc(r.table().title())).append("</h2>\n");
        h.append("<p>").append(several ? "<strong>" + Html.esc(r.headline()) + "</strong>. " : "")
                .append(Html.esc(r.table().title())).append(" of Furuta et al. (TMLR 2024) beside ")
                .append(r.runsCompared()).append(" finished run(s)").append(r.running() > 0 ? " (" + r.running() + " more still training or interrupted, not compared)" : "")
                .append(String.format(Locale.ROOT, "; the paper's budget was %,d epochs.</p>\n", r.table().budgetEpochs()));
        if (!r.notComparable().isEmpty()) {
            h.append("<p>Not comparable, trained in another setup than the paper's (not counted):</p>\n<ul>\n");
            r.notComparable().forEach(o -> h.append("<li><code>").append(Html.esc(o.dir().toString())).append("</code>: ")
                    .append(Html.esc(o.setupDiffers())).append("</li>\n"));
            h.append("</ul>\n");
        }
        if (!r.sameDraws().isEmpty()) {
            h.append("<p>Counted once, another run of the cell trained the same draw (data split, init, model, optimizer and seed; ")
                    .append("only its budget, stopping rule or bookkeeping differ):</p>\n<ul>\n");
            r.sameDraws().forEach(d -> h.append("<li><code>").append(Html.esc(d.setAside().dir().toString())).append("</code>, kept <code>")
                    .append(Html.esc(d.kept().dir().toString())).append("</code></li>\n"));
            h.append("</ul>\n");
        }
        h.append(grid(r));
        byte[] curves = curves(r, c -> true, "Test accuracy of the compared runs");
        if (curves != null) {
            h.append("<p><img alt=\"test accuracy of every compared run of ").append(Html.esc(r.table().title()))
                    .append("\" src=\"").append(Html.dataUri(curves)).append("\"></p>\n");
        }
        byte[] open = curves(r, c -> c.verdict() != Verdict.AGREES, "Test accuracy of the cells that do not agree");
        if (open != null) {
            h.append("<p>The cells that do not agree, alone, as far as their runs have gone (a run continued past its budget ")
                    .append("shows its whole curve; the table judges the run as its summary ended):</p>\n")
                    .append("<p><img alt=\"test accuracy of the runs of the cells of ").append(Html.esc(r.table().title()))
                    .append(" that do not agree\" src=\"").append(Html.dataUri(open)).append("\"></p>\n");
        }
        h.append("<table>\n<thead><tr><th>row</th><th>column</th><th>paper</th><th>ours</th><th>verdict</th><th>why</th><th>source</th></tr></thead>\n<tbody>\n");
        for (CellComparison c : r.cells()) {
            h.append("<tr class=\"").append(css(c.verdict())).append("\"><td>").append(Html.esc(c.cell().row())).append("</td><td>")
                    .append(Html.esc(c.cell().column())).append("</td><td>").append(Html.esc(c.cell().paperValue())).append("</td><td>")
                    .append(Html.esc(c.ours())).append("</td><td class=\"verdict\">").append(Html.esc(c.verdict().label())).append("</td><td>")
                    .append(Html.esc(c.why())).append("</td><td class=\"source\">").append(Html.esc(c.cell().source())).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    /** The compared cells laid out as the paper's table: paper / ours in each, coloured by verdict. */
    static String grid(Reproduction r) {
        java.util.LinkedHashSet<String> rows = new java.util.LinkedHashSet<>(), columns = new java.util.LinkedHashSet<>();
        java.util.Map<String, CellComparison> at = new java.util.HashMap<>();
        for (CellComparison c : r.cells()) {
            rows.add(c.cell().row());
            columns.add(c.cell().column());
            at.put(c.cell().row() + "\u0000" + c.cell().column(), c);
        }
        StringBuilder h = new StringBuilder("<table class=\"grid\">\n<thead><tr><th></th>");
        columns.forEach(col -> h.append("<th>").append(Html.esc(col)).append("</th>"));
        h.append("</tr></thead>\n<tbody>\n");
        for (String row : rows) {
            h.append("<tr><th>").append(Html.esc(row)).append("</th>");
            for (String col : columns) {
                CellComparison c = at.get(row + "\u0000" + col);
                if (c == null) {
                    h.append("<td></td>");
                } else {
                    h.append("<td class=\"").append(css(c.verdict())).append("\" title=\"").append(Html.esc(c.verdict().label() + ": "
                            + c.ours())).append("\">").append(Html.esc(c.cell().paperValue().split(":")[0])).append(" / ")
                            .append(Html.esc(c.brief())).append("</td>");
                }
            }
            h.append("</tr>\n");
        }
        return h.append("</tbody></table>\n<p class=\"source\">Each cell: the paper / ours (\u2713 and the epoch of 99% test accuracy,"
                + " the smallest r that grokked, or the best test accuracy); green agrees, red disagrees, yellow is budget-limited.</p>\n")
                .toString();
    }

    /**
     * Test accuracy against epoch for every run of the cells {@code which} accepts, one line each, from
     * metrics.jsonl or a recorded curve.csv (null when none has a curve).
     */
    static byte[] curves(Reproduction r, java.util.function.Predicate<CellComparison> which, String title) {
        java.util.Set<String> labels = new java.util.HashSet<>();
        org.knowm.xchart.XYChart chart = Charts.lines(title, "epoch", "test accuracy", false, false);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        int n = 0;
        for (CellComparison c : r.cells()) {
            if (!which.test(c)) {
                continue;
            }
            for (var f : c.fractions()) {
                for (java.nio.file.Path dir : f.dirs()) {
                    RunCurve curve;
                    try {
                        curve = RunCurve.read(dir, c.cell().selector().task()); // a mixture cell: its task's curve
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read the curve of " + dir + ": " + e.getMessage(), e);
                    }
                    if (curve.size() == 0) {
                        continue;
                    }
                    double[] x = curve.epochs(), y = curve.testAcc();
                    String base = c.cell().row() + (c.fractions().size() > 1 || r.cells().stream().map(x2 -> x2.cell().column())
                            .distinct().count() > 1 ? ", " + c.cell().column() : "") + (f.runs() > 1 ? " " + dir.getFileName() : "");
                    // two runs of one seed (e.g. a Table 1 source and the Table A.5 run of the same operation) need two names
                    String label = base;
                    for (int k = 2; !labels.add(label); k++) {
                        label = base + " (" + k + ")";
                    }
                    if (Charts.addLine(chart, label, x, y, Palette.SERIES[n % Palette.SERIES.length], n >= Palette.SERIES.length)) {
                        n++;
                    }
                }
            }
        }
        if (n == 0) {
            return null;
        }
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        return Charts.png(chart);
    }

    private static String css(Verdict v) {
        return switch (v) {
            case AGREES -> "agrees";
            case DISAGREES -> "disagrees";
            case BUDGET_LIMITED -> "budget";
        };
    }

    private static final String CSS = """
            body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 80em; }
            .headline { font-size: 1.3em; font-weight: 600; }
            table { border-collapse: collapse; font-size: 0.9em; }
            th, td { border: 1px solid #ccc; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
            th { background: #f3f3f3; }
            tr.agrees .verdict { background: #d9f2d9; }
            tr.disagrees .verdict { background: #f8d0d0; }
            tr.budget .verdict { background: #fdf0c8; }
            table.grid { margin-bottom: 1.5em; }
            table.grid td { text-align: center; white-space: nowrap; }
            table.grid td.agrees { background: #d9f2d9; }
            table.grid td.disagrees { background: #f8d0d0; }
            table.grid td.budget { background: #fdf0c8; }
            .source { color: #666; font-size: 0.85em; }
            """;
}
