package polygrok.report;

import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The report: one self-contained HTML page (inline CSS, images as data URIs, no scripts, no
 * network) with a summary across runs and seeds, then one section per run with its figures.
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    /** A run with its drawn figures. */
    public record Entry(RunData run, RunSummary summary, RunFigures figures) {
    }

    public static String render(String title, List<Entry> entries) {
        return render(title, entries, List.of());
    }

    /**
     * @param sweepTables HTML fragments of sweep tables (the paper's Table A.5 layout), shown before the
     *                    per-configuration summary
     */
    public static String render(String title, List<Entry> entries, List<String> sweepTables) {
        return render(title, entries, sweepTables, true);
    }

    /**
     * @param runSections whether each run gets its own section of figures (curves, spectra, embedding,
     *                    weights); without them the page holds the tables and the curves side by side,
     *                    and stays small over many runs (entries' figures may then be null)
     */
    public static String render(String title, List<Entry> entries, List<String> sweepTables, boolean runSections) {
        StringBuilder h = new StringBuilder(1 << 20);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Html.esc(title)).append("</title>\n<style>\n").append(css()).append("</style>\n</head>\n<body>\n");
        List<RunSummary> summaries = entries.stream().map(Entry::summary).toList();
        List<SeedGroup> groups = SeedGroup.of(summaries);
        h.append("<header><h1>polygrok <span>\u00b7</span> ").append(Html.esc(title)).append("</h1>\n<p>")
                .append(entries.size()).append(entries.size() == 1 ? " run" : " runs").append(" in ")
                .append(groups.size()).append(groups.size() == 1 ? " configuration" : " configurations")
                .append(" \u00b7 generated ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append("</p></header>\n<main>\n");
        legend(h);
        for (String table : sweepTables) {
            h.append("<h2>Sweep</h2>\n").append(table).append('\n');
        }
        h.append("<h2>Summary by configuration</h2>\n");
        groupTable(h, groups);
        java.util.Map<String, RunData> byLabel = new java.util.HashMap<>();
        entries.forEach(e -> byLabel.put(e.summary().label(), e.run()));
        List<Figure> curves = GroupCurves.draw(groups, byLabel);
        if (!curves.isEmpty()) {
            h.append("<h2>Curves by configuration</h2>\n");
            figures(h, null, curves, "grid wide");
        }
        h.append("<h2>Runs</h2>\n");
        runTable(h, summaries, runSections);
        if (runSections) {
            for (Entry e : entries) {
                runSection(h, e);
            }
        }
        h.append("</main>\n<footer>polygrok report \u00b7 self-contained: images are embedded, nothing is fetched.</footer>\n</body>\n</html>\n");
        return h.toString();
    }

    private static String css() {
        try (InputStream in = HtmlReport.class.getResourceAsStream("/polygrok/report/report.css")) {
            if (in == null) {
                throw new IllegalStateException("resource /polygrok/report/report.css is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void legend(StringBuilder h) {
        h.append("<div class=\"legend\"><b>Reading this report.</b> <b>Epochs to 50/90/99%</b>: first evaluation at which test accuracy ")
                .append("reached that level (mean \u00b1 standard deviation over the seeds that reached it; k/n when not all did). ")
                .append("<b>FFD</b> (Fourier frequency density, \u03b7 = 0.5): share of cosine and sine components of the number-token ")
                .append("embedding W_E whose norm exceeds half the largest \u2014 low when a few key frequencies dominate. ")
                .append("<b>FCR</b> (Fourier coefficient ratio): mean over frequencies of min(\u03bc/\u03bd, \u03bd/\u03bc) \u2014 low when ")
                .append("cosines and sines are unbalanced. Furuta et al. (TMLR 2024) report FFD falling while FCR stays high for addition, ")
                .append("and FFD staying near 1 while FCR falls for multiplication. ")
                .append("<b>Restricted / excluded loss</b> (Nanda et al.): the loss with the logits projected onto / off the key ")
                .append("frequencies' 2-D Fourier components over the full (a, b) grid \u2014 low restricted and high excluded loss ")
                .append("mean the model computes with those frequencies (additive frequencies: meaningful for additive tasks).</div>\n");
    }

    private static void groupTable(StringBuilder h, List<SeedGroup> groups) {
        h.append("<div class=\"table-wrap\"><table>\n<thead><tr><th>configuration</th><th class=\"text\">ops</th><th>p</th><th>train frac</th><th>seeds</th><th>grokked</th>")
                .append("<th>epochs to 50%</th><th>to 90%</th><th>to 99%</th><th>best test acc</th><th>FFD end</th><th>FCR end</th></tr></thead>\n<tbody>\n");
        for (SeedGroup g : groups) {
            int n = g.runs().size();
            int grokked = g.reached(RunSummary::epochsTo99);
            h.append("<tr><td>").append(Html.esc(g.label())).append("</td><td class=\"text\">").append(Html.esc(g.ops()))
                    .append("</td><td>").append(g.p() == null ? "\u2013" : g.p())
                    .append("</td><td>").append(g.trainFraction() == null ? "\u2013" : String.format("%.2f", g.trainFraction()))
                    .append("</td><td>").append(n)
                    .append("</td><td class=\"").append(grokked == n ? "ok" : grokked == 0 ? "no" : "").append("\">").append(grokked).append("/").append(n)
                    .append("</td><td>").append(epochCell(g, RunSummary::epochsTo50))
                    .append("</td><td>").append(epochCell(g, RunSummary::epochsTo90))
                    .append("</td><td>").append(epochCell(g, RunSummary::epochsTo99))
                    .append("</td><td>").append(valueCell(g, RunSummary::bestTestAcc, "%.3f"))
                    .append("</td><td>").append(valueCell(g, RunSummary::ffdEnd, "%.3f"))
                    .append("</td><td>").append(valueCell(g, RunSummary::fcrEnd, "%.3f"))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table></div>\n");
    }

    private static String epochCell(SeedGroup g, Function<RunSummary, Integer> epochs) {
        int reached = g.reached(epochs);
        int n = g.runs().size();
        if (reached == 0) {
            return "<span class=\"no\">never</span>";
        }
        DescriptiveStatistics s = g.epochs(epochs);
        String cell = meanSpread(s, "%.0f");
        return reached < n ? cell + " <span class=\"sd\">(" + reached + "/" + n + ")</span>" : cell;
    }

    private static String valueCell(SeedGroup g, ToDoubleFunction<RunSummary> value, String format) {
        DescriptiveStatistics s = g.values(value);
        return s.getN() == 0 ? "\u2013" : meanSpread(s, format);
    }

    private static String meanSpread(DescriptiveStatistics s, String format) {
        String mean = String.format(format, s.getMean());
        return s.getN() > 1 ? mean + " <span class=\"sd\">\u00b1 " + String.format(format, s.getStandardDeviation()) + "</span>" : mean;
    }

    /** @param linked whether each run's name links to its section (there are none without run sections) */
    private static void runTable(StringBuilder h, List<RunSummary> runs, boolean linked) {
        h.append("<div class=\"table-wrap\"><table>\n<thead><tr><th>run</th><th class=\"text\">ops</th><th>seed</th><th>epochs to 50%</th><th>to 90%</th><th>to 99%</th>")
                .append("<th>best test acc</th><th>final test acc</th><th>FFD init \u2192 end</th><th>FCR init \u2192 end</th><th>wall</th></tr></thead>\n<tbody>\n");
        for (RunSummary r : runs) {
            String name = linked ? "<a href=\"#" + Html.anchor(r.label()) + "\">" + Html.esc(r.label()) + "</a>" : Html.esc(r.label());
            h.append("<tr><td>").append(name).append("</td>")
                    .append("<td class=\"text\">").append(Html.esc(r.ops())).append("</td><td>").append(r.seed() == null ? "\u2013" : r.seed())
                    .append("</td><td>").append(epochs(r.epochsTo50())).append("</td><td>").append(epochs(r.epochsTo90()))
                    .append("</td><td>").append(epochs(r.epochsTo99()))
                    .append("</td><td>").append(num(r.bestTestAcc())).append("</td><td>").append(num(r.finalTestAcc()))
                    .append("</td><td>").append(arrow(r.ffdInit(), r.ffdEnd())).append("</td><td>").append(arrow(r.fcrInit(), r.fcrEnd()))
                    .append("</td><td>").append(Double.isNaN(r.wallSeconds()) ? "\u2013" : duration(r.wallSeconds()))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table></div>\n");
    }

    private static String epochs(Integer e) {
        return e == null ? "<span class=\"no\">never</span>" : String.valueOf(e);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "\u2013" : String.format("%.3f", v);
    }

    private static String arrow(double from, double to) {
        if (Double.isNaN(from)) {
            return num(to);
        }
        return num(from) + " \u2192 " + num(to);
    }

    static String duration(double seconds) {
        if (seconds < 120) {
            return String.format("%.1f s", seconds);
        }
        if (seconds < 7200) {
            return String.format("%.1f min", seconds / 60);
        }
        return String.format("%.1f h", seconds / 3600);
    }

    /**
     * "AdamW lr 0.001, weight decay 1, grad filter EMA (alpha 0.98, lambda 2)" from a run's config, or null;
     * "Adam (coupled L2)", ", lr warm-up 10 steps" and ", orthogonal gradient (⊥Grad)" where a run has them.
     */
    static String optimizerFact(com.google.gson.JsonObject config) {
        if (config == null || !config.has("optimizer") || !config.get("optimizer").isJsonObject()) {
            return null;
        }
        com.google.gson.JsonObject o = config.getAsJsonObject("optimizer");
        boolean adam = o.has("type") && o.get("type").isJsonPrimitive() && "adam".equals(o.get("type").getAsString());
        StringBuilder b = new StringBuilder(adam ? "Adam (coupled L2) lr " : "AdamW lr ").append(num(o, "lr"))
                .append(", weight decay ").append(num(o, "weight_decay"));
        if (o.has("grad_filter") && o.get("grad_filter").isJsonObject()) {
            com.google.gson.JsonObject f = o.getAsJsonObject("grad_filter");
            boolean ema = !f.has("type") || "ema".equals(f.get("type").getAsString());
            b.append(", grad filter ").append(ema ? "EMA (alpha " + num(f, "alpha") : "MA (window " + num(f, "window"))
                    .append(", lambda ").append(num(f, "lambda")).append(")");
        }
        if (o.has("warmup_steps") && o.get("warmup_steps").isJsonPrimitive() && o.get("warmup_steps").getAsDouble() > 0) {
            b.append(", lr warm-up ").append(num(o, "warmup_steps")).append(" steps");
        }
        if (o.has("orthogonal") && o.get("orthogonal").isJsonPrimitive() && o.get("orthogonal").getAsBoolean()) {
            b.append(", then orthogonal gradient (⊥Grad)");
        }
        return b.toString();
    }

    /**
     * "format a * b =, operands 0..p+4, operand domain b_nonzero" from a run's config: the data switches that
     * differ from the paper's (short format, operands 0..p-1, each operation's own domain); null where none do.
     */
    static String dataFact(com.google.gson.JsonObject config) {
        if (config == null) {
            return null;
        }
        String format = RunData.string(config, "format"), range = RunData.string(config, "operand_range");
        String domain = RunData.string(config, "operand_domain");
        List<String> parts = new ArrayList<>();
        if (format != null && !format.equals("short")) {
            parts.add("format " + format);
        }
        if (range != null && !range.equals("p")) {
            parts.add("p+5".equals(range) ? "operands 0..p+4" : "operand range " + range);
        }
        if (domain != null) {
            parts.add("operand domain " + domain);
        }
        return parts.isEmpty() ? null : String.join(", ", parts);
    }

    /** "StableMax, float32" from a run's config; null for the seed's float64 cross-entropy (not written in its config). */
    static String lossFact(com.google.gson.JsonObject config) {
        if (config == null || !config.has("loss") && !config.has("loss_precision")) {
            return null;
        }
        String f = RunData.string(config, "loss"), p = RunData.string(config, "loss_precision");
        return ("stablemax".equals(f) ? "StableMax" : "cross-entropy") + ", " + (p == null ? "float64" : p);
    }

    private static String num(com.google.gson.JsonObject o, String key) {
        if (!o.has(key) || !o.get(key).isJsonPrimitive()) {
            return "?";
        }
        double v = o.get(key).getAsDouble();
        return v == Math.rint(v) && Math.abs(v) < 1e6 ? Long.toString((long) v) : Double.toString(v);
    }

    private static void runSection(StringBuilder h, Entry e) {
        RunData run = e.run();
        RunSummary s = e.summary();
        h.append("<section class=\"run\" id=\"").append(Html.anchor(s.label())).append("\">\n<h2>").append(Html.esc(s.label())).append("</h2>\n");
        List<String[]> facts = new ArrayList<>();
        facts.add(new String[]{"ops", s.ops().isEmpty() ? "\u2013" : s.ops()});
        if (s.p() != null) {
            facts.add(new String[]{"p", String.valueOf(s.p())});
        }
        if (s.trainFraction() != null) {
            facts.add(new String[]{"train fraction", String.format("%.2f", s.trainFraction())});
        }
        String data = dataFact(run.config());
        if (data != null) {
            facts.add(new String[]{"data", data});
        }
        String optimizer = optimizerFact(run.config());
        if (optimizer != null) {
            facts.add(new String[]{"optimizer", optimizer});
        }
        String loss = lossFact(run.config());
        if (loss != null) {
            facts.add(new String[]{"loss", loss});
        }
        if (s.seed() != null) {
            facts.add(new String[]{"seed", String.valueOf(s.seed())});
        }
        String backend = RunData.string(run.summary(), "backend");
        if (backend != null) {
            facts.add(new String[]{"backend", backend});
        }
        double epochsRun = RunData.number(run.summary(), "epochs_run");
        if (!Double.isNaN(epochsRun)) {
            facts.add(new String[]{"epochs", String.format("%.0f", epochsRun)});
        }
        if (!Double.isNaN(s.wallSeconds())) {
            facts.add(new String[]{"wall", duration(s.wallSeconds())});
        }
        facts.add(new String[]{"test acc \u2265 99% at", s.epochsTo99() == null ? "never" : "epoch " + s.epochsTo99()});
        if (run.analysis() != null && !run.analysis().checkpoints().isEmpty()) {
            var last = run.analysis().checkpoints().get(run.analysis().checkpoints().size() - 1);
            facts.add(new String[]{"key frequencies", RunPlots.keyList(last.keyFrequencies())});
            if (last.restrictedLoss() != null) {
                facts.add(new String[]{"loss: full / restricted / excluded",
                        String.format("%.3g / %.3g / %.3g", last.fullLoss(), last.restrictedLoss(), last.excludedLoss())});
            }
        }
        h.append("<ul class=\"facts\">");
        for (String[] f : facts) {
            h.append("<li>").append(Html.esc(f[0])).append(" <b>").append(Html.esc(f[1])).append("</b></li>");
        }
        h.append("</ul>\n");
        figures(h, "Training curves", e.figures().curves(), "grid");
        if (e.figures().spectra().isEmpty()) {
            h.append("<h3>Fourier spectra</h3><p class=\"empty\">No analysis.json and no checkpoints: run <code>polygrok analyze ")
                    .append(Html.esc(s.label())).append("</code> for spectra and progress measures.</p>\n");
        } else {
            figures(h, "Fourier spectrum of the number-token embedding", e.figures().spectra(), "grid three");
        }
        figures(h, "Embedding geometry", e.figures().embedding(), "grid");
        if (!e.figures().heatmaps().isEmpty()) {
            h.append("<details><summary>Weights at the last checkpoint: heatmaps (").append(e.figures().heatmaps().size()).append(")</summary>\n");
            figures(h, null, e.figures().heatmaps(), "grid");
            h.append("</details>\n<details><summary>Weight histograms (").append(e.figures().histograms().size()).append(")</summary>\n");
            figures(h, null, e.figures().histograms(), "grid small");
            h.append("</details>\n");
        }
        h.append("</section>\n");
    }

    private static void figures(StringBuilder h, String heading, List<Figure> figures, String gridClass) {
        if (figures.isEmpty()) {
            return;
        }
        if (heading != null) {
            h.append("<h3>").append(Html.esc(heading)).append("</h3>\n");
        }
        h.append("<div class=\"").append(gridClass).append("\">\n");
        for (Figure f : figures) {
            h.append("<figure><img alt=\"").append(Html.esc(f.title())).append("\" src=\"").append(Html.dataUri(f.png())).append("\">")
                    .append("<figcaption><b>").append(Html.esc(f.title())).append(".</b> ").append(Html.esc(f.caption()))
                    .append("</figcaption></figure>\n");
        }
        h.append("</div>\n");
    }
}
