package polygrok.analysis.paper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import polygrok.io.AtomicFiles;

/**
 * Several of the paper's tables beside the same runs, counted together: the record of a whole
 * reproduction (Table A.5, Table 1 and the mixtures) states one count over every cell it compared.
 */
public record ReproductionSet(List<Reproduction> tables) {
    public ReproductionSet {
        tables = List.copyOf(tables);
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("a reproduction set needs at least one table");
        }
    }

    /**
     * The named tables (each once, in order) beside the runs under {@code roots}. Nothing to compare is
     * an error that says why: no finished run of the tables' operations, or only runs of another setup.
     */
    public static ReproductionSet compare(List<String> names, List<Path> roots) throws IOException {
        List<RunOutcome> outcomes = RunOutcome.scan(roots);
        List<Reproduction> tables = new java.util.ArrayList<>();
        for (String name : new java.util.LinkedHashSet<>(names)) {
            tables.add(Reproduction.compare(PaperTable.load(name), outcomes));
        }
        ReproductionSet set = new ReproductionSet(tables);
        if (set.cells() == 0) {
            int running = tables.stream().mapToInt(Reproduction::running).sum();
            long other = tables.stream().flatMap(r -> r.notComparable().stream()).distinct().count();
            throw new IllegalArgumentException("--against " + String.join(",", names) + ": nothing to compare under "
                    + roots.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(", ")) + ": " + (other == 0
                    ? "no finished run of one of the tables' operations (" + running + " still training or interrupted)"
                    : other + " run(s) trained in another setup than the paper's: " + tables.stream()
                    .flatMap(r -> r.notComparable().stream()).distinct().limit(3).map(o -> o.dir().getFileName() + " (" + o.setupDiffers() + ")")
                    .collect(java.util.stream.Collectors.joining("; "))));
        }
        return set;
    }

    /** Every run set aside (not comparable, or counted once with a run of the same draw), once, with its reason. */
    public List<String> setAsideLines() {
        return tables.stream().flatMap(r -> r.setAsideLines().stream()).distinct().toList();
    }

    public long cells() {
        return tables.stream().mapToLong(r -> r.cells().size()).sum();
    }

    public long count(Verdict v) {
        return tables.stream().mapToLong(r -> r.count(v)).sum();
    }

    /** "N cells compared: A agree, D disagree, B budget-limited" over every table: the first line of every output. */
    public String headline() {
        return String.format(Locale.ROOT, "%d cells compared: %d agree, %d disagree, %d budget-limited", cells(),
                count(Verdict.AGREES), count(Verdict.DISAGREES), count(Verdict.BUDGET_LIMITED));
    }

    /** Every table's cells in one CSV (the overall headline as a leading comment line), written atomically. */
    public void writeCsv(Path file) {
        StringBuilder s = new StringBuilder("# ").append(headline()).append('\n').append(Reproduction.CSV_HEADER).append('\n');
        tables.forEach(r -> r.cells().forEach(c -> s.append(Reproduction.csvRow(c)).append('\n')));
        write(file, s.toString());
    }

    /** A markdown summary: the overall count, then per table its count and a row per cell with ours in words. */
    public String markdown(String title) {
        StringBuilder s = new StringBuilder("**").append(headline()).append("**\n\n# ").append(title).append("\n");
        for (Reproduction r : tables) {
            s.append("\n## ").append(r.table().title()).append("\n\n").append(r.headline()).append(String.format(Locale.ROOT,
                    " (%d finished run(s)%s; the paper's budget %,d epochs).\n\n", r.runsCompared(),
                    r.running() > 0 ? ", " + r.running() + " more still training or interrupted" : "", r.table().budgetEpochs()));
            s.append("| row | column | paper | ours | verdict |\n|---|---|---|---|---|\n");
            for (CellComparison c : r.cells()) {
                s.append("| ").append(md(c.cell().row())).append(" | ").append(md(c.cell().column())).append(" | ")
                        .append(md(c.cell().paperValue())).append(" | ").append(md(c.ours())).append(" | ").append(c.verdict().label())
                        .append(" |\n");
            }
            List<String> setAside = r.setAsideLines();
            setAside.forEach(line -> s.append("\n- ").append(md(line)));
            if (!setAside.isEmpty()) {
                s.append('\n');
            }
        }
        return s.toString();
    }

    public void writeMarkdown(Path file, String title) {
        write(file, markdown(title));
    }

    private static String md(String v) {
        return v.replace("|", "\\|").replace("\n", " ");
    }

    private static void write(Path file, String text) {
        try {
            AtomicFiles.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
