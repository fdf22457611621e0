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
 * @param lateGain of those seeds, test accuracy points gained over the last fifth of their runs (a mixture's
 *                 named task's; empty when no curve was there to read)
 * @param lateSpan the two evals (epochs) that last fifth runs between, when every such seed has the same two, else null
 * @param dirs     the run directories compared
 * @param numberPairAcc of the seeds that did not grok, test accuracy on pairs of two numbers at the last checkpoint
 *                 split by operand kind ({@link OperandSplitAtEnd}; runs over p + 5 that {@code analyze} split)
 * @param symbolPairAcc the same on pairs with a symbol operand
 * @param splitEpoch the epoch of those checkpoints when every such seed has the same one, else null
 */
public record FractionOutcome(Expectation expected, int runs, int grokked, int budget, SummaryStatistics epochs,
                              SummaryStatistics bestAcc, SummaryStatistics lateGain, List<Integer> lateSpan, Verdict verdict,
                              List<java.nio.file.Path> dirs, SummaryStatistics numberPairAcc, SummaryStatistics symbolPairAcc,
                              Integer splitEpoch) {

    /** Majority of seeds: a tie does not count as grokking. */
    public boolean ourGroks() {
        return grokked * 2 > runs;
    }

    static FractionOutcome of(Expectation expected, String task, List<RunOutcome> runs, int paperBudget) {
        SummaryStatistics epochs = new SummaryStatistics(), best = new SummaryStatistics(), late = new SummaryStatistics();
        SummaryStatistics numberPairs = new SummaryStatistics(), symbolPairs = new SummaryStatistics();
        int grokked = 0, budget = Integer.MAX_VALUE;
        List<List<Integer>> spans = new java.util.ArrayList<>();
        java.util.Set<Integer> splitEpochs = new java.util.TreeSet<>();
        for (RunOutcome r : runs) {
            budget = Math.min(budget, r.budgetEpochs());
            if (r.grokked(task)) {
                grokked++;
                epochs.addValue(r.epochGrokked(task));
            } else {
                best.addValue(r.bestAcc(task));
                LateGain g = r.lateGain(task);
                if (g.known()) {
                    late.addValue(g.points());
                    spans.add(List.of(g.fromEpoch(), g.toEpoch()));
                }
                OperandSplitAtEnd split = r.operandSplit();
                if (task == null && split.known()) {
                    numberPairs.addValue(split.numberAcc());
                    symbolPairs.addValue(split.symbolAcc());
                    splitEpochs.add(split.epoch());
                }
            }
        }
        boolean ours = grokked * 2 > runs.size();
        Verdict v = ours == expected.groks() ? Verdict.AGREES
                : !ours && budget < paperBudget ? Verdict.BUDGET_LIMITED : Verdict.DISAGREES;
        List<Integer> span = spans.isEmpty() || spans.stream().distinct().count() > 1 ? null : spans.get(0);
        return new FractionOutcome(expected, runs.size(), grokked, budget, epochs, best, late, span, v,
                runs.stream().map(RunOutcome::dir).toList(), numberPairs, symbolPairs,
                splitEpochs.size() == 1 ? splitEpochs.iterator().next() : null);
    }

    /**
     * "grokked 3/3 at 3340 ± 460 epochs" or "1/1 did not in 10,000 epochs (best 15.9%, +1.9 points from epoch
     * 7,990 to 9,999)": whether a run that did not grok was still climbing is what tells its budget from a
     * real difference. When every seed that did not grok was split by operand kind, the split follows
     * ("; at epoch 10,000: 99.3% on number pairs, 91.2% with a symbol operand"): whether the symbol operands of
     * the original's range are what it fails on.
     */
    public String describe() {
        StringBuilder s = new StringBuilder();
        if (grokked > 0) {
            s.append(String.format(Locale.ROOT, "grokked %d/%d at %s epochs", grokked, runs, meanSpread(epochs, 1, "%.0f")));
        }
        if (grokked < runs) {
            s.append(s.length() > 0 ? "; " : "").append(String.format(Locale.ROOT, "%d/%d did not in %,d epochs (best %s%%%s)",
                    runs - grokked, runs, budget, meanSpread(bestAcc, 100, "%.1f"), late() + split()));
        }
        return s.toString();
    }

    private String late() {
        if (lateGain.getN() == 0) {
            return "";
        }
        String points = String.format(Locale.ROOT, "%+.1f", lateGain.getMean())
                + (lateGain.getN() < 2 ? "" : String.format(Locale.ROOT, " \u00b1 %.1f", lateGain.getStandardDeviation()));
        return lateSpan == null ? ", " + points + " points over their last fifth"
                : String.format(Locale.ROOT, ", %s points from epoch %,d to %,d", points, lateSpan.get(0), lateSpan.get(1));
    }

    private String split() {
        if (numberPairAcc.getN() == 0 || numberPairAcc.getN() < runs - grokked) {
            return ""; // a split of some seeds only would speak for the cell without the others
        }
        String at = splitEpoch == null ? "at their last split checkpoints" : String.format(Locale.ROOT, "at epoch %,d", splitEpoch);
        return String.format(Locale.ROOT, "; %s: %s%% on number pairs, %s%% with a symbol operand", at,
                meanSpread(numberPairAcc, 100, "%.1f"), meanSpread(symbolPairAcc, 100, "%.1f"));
    }

    private static String meanSpread(SummaryStatistics s, double scale, String format) {
        String mean = String.format(Locale.ROOT, format, s.getMean() * scale);
        return s.getN() < 2 ? mean : mean + " \u00b1 " + String.format(Locale.ROOT, format, s.getStandardDeviation() * scale);
    }
}
