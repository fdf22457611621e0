package polygrok.analysis.paper;

import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

/**
 * Our finished runs of a cell at one train fraction beside the paper's expectation there.
 *
 * @param grokked  seeds that reached full test accuracy (of {@code runs})
 * @param budget   the shortest budget among the runs, in epochs
 * @param epochs   epochs to 99% of the seeds that grokked
 * @param bestAcc  best test accuracy of the seeds that did not
 * @param dirs     the run directories compared
 */
public record FractionOutcome(Expectation expected, int runs, int grokked, int budget, SummaryStatistics epochs,
                              SummaryStatistics bestAcc, Verdict verdict, List<java.nio.file.Path> dirs) {

    /** Majority of seeds: a tie does not count as grokking. */
    public boolean ourGroks() {
        return grokked * 2 > runs;
    }

    static FractionOutcome of(Expectation expected, String task, List<RunOutcome> runs, int paperBudget) {
        SummaryStatistics epochs = new SummaryStatistics(), best = new SummaryStatistics();
        int grokked = 0, budget = Integer.MAX_VALUE;
        for (RunOutcome r : runs) {
            budget = Math.min(budget, r.budgetEpochs());
            if (r.grokked(task)) {
                grokked++;
                epochs.addValue(r.epochGrokked(task));
            } else {
                best.addValue(r.bestAcc(task));
            }
        }
        boolean ours = grokked * 2 > runs.size();
        Verdict v = ours == expected.groks() ? Verdict.AGREES
                : !ours && budget < paperBudget ? Verdict.BUDGET_LIMITED : Verdict.DISAGREES;
        return new FractionOutcome(expected, runs.size(), grokked, budget, epochs, best, v,
                runs.stream().map(RunOutcome::dir).toList());
    }

    /** "grokked 3/3 at 3340 ± 460 epochs" or "0/1 grokked, best 6.2% in 10,000 epochs". */
    public String describe() {
        StringBuilder s = new StringBuilder();
        if (grokked > 0) {
            s.append(String.format(Locale.ROOT, "grokked %d/%d at %s epochs", grokked, runs, meanSpread(epochs, 1, "%.0f")));
        }
        if (grokked < runs) {
            s.append(s.length() > 0 ? "; " : "").append(String.format(Locale.ROOT, "%d/%d did not in %,d epochs (best %s%%)",
                    runs - grokked, runs, budget, meanSpread(bestAcc, 100, "%.1f")));
        }
        return s.toString();
    }

    private static String meanSpread(SummaryStatistics s, double scale, String format) {
        String mean = String.format(Locale.ROOT, format, s.getMean() * scale);
        return s.getN() < 2 ? mean : mean + " \u00b1 " + String.format(Locale.ROOT, format, s.getStandardDeviation() * scale);
    }
}
