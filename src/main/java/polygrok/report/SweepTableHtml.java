package polygrok.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import polygrok.analysis.SweepTable;
import polygrok.analysis.SweepTableRow;
import polygrok.io.AtomicFiles;

/** The sweep table (the paper's Table A.5 layout) as HTML: embedded in reports and written beside table.csv. */
public final class SweepTableHtml {
    public static final String FILE = "table.html";

    private SweepTableHtml() {
    }

    /** Writes table.csv and table.html into the sweep directory (atomically); returns the CSV path. */
    public static Path write(SweepTable table) {
        Path csv = table.write();
        try {
            AtomicFiles.writeString(table.sweepDir().resolve(FILE), render(table));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE + " into " + table.sweepDir() + ": " + e.getMessage(), e);
        }
        return csv;
    }

    /** A {@code <table class="sweep-table">} fragment: no page, no styles, ready to embed. */
    public static String render(SweepTable table) {
        StringBuilder h = new StringBuilder();
        h.append("<table class=\"sweep-table\">\n<thead><tr><th>operation</th><th>train frac</th><th>point</th><th>seeds</th>")
                .append("<th>grokked</th><th>epochs to 99%</th><th>best test acc</th><th>FFD end</th><th>FCR end</th></tr></thead>\n<tbody>\n");
        for (SweepTableRow r : table.rows()) {
            h.append("<tr><td class=\"text\">").append(Html.esc(r.ops())).append("</td><td>").append(r.trainFraction() == null ? "\u2013"
                    : String.format(Locale.ROOT, "%.2f", r.trainFraction())).append("</td><td class=\"text\">").append(Html.esc(r.point()))
                    .append("</td><td>").append(r.finished()).append(r.unfinished() > 0 ? " <span class=\"sd\">(+" + r.unfinished()
                    + " unfinished" + (r.inProgress() > 0 ? ", " + r.inProgress() + " in progress" : "") + ")</span>" : "").append("</td><td class=\"").append(r.finished() == 0 ? "" : r.grokked() == r.finished() ? "ok"
                    : r.grokked() == 0 ? "no" : "").append("\">").append(r.grokked()).append("/").append(r.finished())
                    .append("</td><td>").append(r.grokked() == 0 ? (r.finished() == 0 ? "\u2013" : "<span class=\"no\">never</span>")
                    : cell(r.epochsTo99(), "%.0f")).append("</td><td>").append(cell(r.bestTestAcc(), "%.3f"))
                    .append("</td><td>").append(cell(r.ffdEnd(), "%.3f")).append("</td><td>").append(cell(r.fcrEnd(), "%.3f"))
                    .append("</td></tr>\n");
        }
        return h.append("</tbody></table>\n").toString();
    }

    private static String cell(SweepTableRow.Stat s, String format) {
        if (s.n() == 0) {
            return "\u2013";
        }
        String mean = String.format(Locale.ROOT, format, s.mean());
        return Double.isNaN(s.std()) ? mean : mean + " <span class=\"sd\">\u00b1 " + String.format(Locale.ROOT, format, s.std()) + "</span>";
    }
}
