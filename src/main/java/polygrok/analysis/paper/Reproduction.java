package polygrok.analysis.paper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The paper's table beside the runs found under some directories: for every cell with finished runs,
 * the paper's value, ours, and a verdict. Runs still training (no summary) are counted, not compared.
 *
 * @param running       runs that matched a cell but have not finished
 * @param notComparable runs that matched a cell but were trained in another setup than the paper's, with the reason
 * @param sameDraws     finished runs a cell counted once because another of its runs trained the same draw
 */
public record Reproduction(PaperTable table, List<CellComparison> cells, int runsCompared, int running,
                           List<RunOutcome> notComparable, List<SameDraw> sameDraws) {
    public Reproduction {
        cells = List.copyOf(cells);
        notComparable = List.copyOf(notComparable);
        sameDraws = List.copyOf(sameDraws);
    }

    public static Reproduction compare(PaperTable table, List<RunOutcome> runs) {
        List<CellComparison> cells = new ArrayList<>();
        List<RunOutcome> otherSetup = new ArrayList<>();
        List<SameDraw> sameDraws = new ArrayList<>();
        int compared = 0, running = 0;
        for (PaperCell cell : table.cells()) {
            List<RunOutcome> matching = runs.stream().filter(r -> cell.selector().matches(r)).toList();
            matching.stream().filter(r -> r.setupDiffers() != null && !otherSetup.contains(r)).forEach(otherSetup::add);
            List<RunOutcome> mine = matching.stream().filter(r -> r.setupDiffers() == null).toList();
            List<FractionOutcome> fractions = new ArrayList<>();
            for (Expectation e : cell.expectations()) {
                List<RunOutcome> here = mine.stream().filter(r -> Math.abs(r.trainFraction() - e.trainFraction()) < 1e-9).toList();
                List<RunOutcome> finished = here.stream().filter(RunOutcome::finished).toList();
                running += here.size() - finished.size();
                List<RunOutcome> done = onePerDraw(finished, sameDraws);
                if (!done.isEmpty()) {
                    compared += done.size();
                    fractions.add(FractionOutcome.of(e, cell.selector().task(), done, table.budgetEpochs()));
                }
            }
            if (!fractions.isEmpty()) {
                cells.add(CellComparison.of(cell, fractions));
            }
        }
        return new Reproduction(table, cells, compared, running, otherSetup, sameDraws);
    }

    /** The runs, one per draw (the longest-running, the first in path order on a tie); the others go to {@code setAside}. */
    private static List<RunOutcome> onePerDraw(List<RunOutcome> runs, List<SameDraw> setAside) {
        java.util.Map<String, RunOutcome> kept = new java.util.LinkedHashMap<>();
        for (RunOutcome r : runs) {
            kept.merge(r.draw(), r, (a, b) -> b.epochsRun() > a.epochsRun() ? b : a);
        }
        for (RunOutcome r : runs) {
            RunOutcome k = kept.get(r.draw());
            if (k != r && setAside.stream().noneMatch(s -> s.setAside() == r)) {
                setAside.add(new SameDraw(r, k));
            }
        }
        return runs.stream().filter(r -> kept.get(r.draw()) == r).toList();
    }

    /**
     * One line per run set aside: not comparable (its directory and how its setup differs from the paper's),
     * or counted once with another run of the same draw.
     */
    public List<String> setAsideLines() {
        List<String> lines = new ArrayList<>(notComparable.stream().map(r -> "not comparable: " + r.dir() + ": " + r.setupDiffers()).toList());
        sameDraws.forEach(s -> lines.add(s.line()));
        return lines;
    }

    public long count(Verdict v) {
        return cells.stream().filter(c -> c.verdict() == v).count();
    }

    /** "N cells compared: A agree, D disagree, B budget-limited": the first line of every output. */
    public String headline() {
        return String.format(Locale.ROOT, "%d cells compared: %d agree, %d disagree, %d budget-limited", cells.size(),
                count(Verdict.AGREES), count(Verdict.DISAGREES), count(Verdict.BUDGET_LIMITED));
    }

    static final String CSV_HEADER = "table,row,column,paper,ours,runs,grokked,verdict,why,source";

    /** The comparison as CSV (the headline as a leading comment line), written atomically. */
    public void writeCsv(Path file) {
        new ReproductionSet(List.of(this)).writeCsv(file);
    }

    /** One cell as a CSV row under {@link #CSV_HEADER}. */
    static String csvRow(CellComparison c) {
        int runs = c.fractions().stream().mapToInt(FractionOutcome::runs).sum();
        int grokked = c.fractions().stream().mapToInt(FractionOutcome::grokked).sum();
        return String.join(",", csv(c.cell().table()), csv(c.cell().row()), csv(c.cell().column()), csv(c.cell().paperValue()),
                csv(c.ours()), Integer.toString(runs), Integer.toString(grokked), c.verdict().label(), csv(c.why()),
                csv(c.cell().source()));
    }

    private static String csv(String v) {
        return v.matches(".*[,\"\\n].*") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
