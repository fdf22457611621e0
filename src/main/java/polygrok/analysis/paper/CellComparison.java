package polygrok.analysis.paper;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One paper cell beside our runs of it: an outcome per train fraction we ran, and the cell's verdict
 * (any disagreement disagrees; otherwise any budget-limited fraction makes it budget-limited).
 */
public record CellComparison(PaperCell cell, List<FractionOutcome> fractions, Verdict verdict) {
    public CellComparison {
        fractions = List.copyOf(fractions);
    }

    static CellComparison of(PaperCell cell, List<FractionOutcome> fractions) {
        Verdict v = fractions.stream().anyMatch(f -> f.verdict() == Verdict.DISAGREES) ? Verdict.DISAGREES
                : fractions.stream().anyMatch(f -> f.verdict() == Verdict.BUDGET_LIMITED) ? Verdict.BUDGET_LIMITED : Verdict.AGREES;
        return new CellComparison(cell, fractions, v);
    }

    /** Our outcome in words; a cell of several fractions names each. */
    public String ours() {
        if (fractions.size() == 1 && cell.expectations().size() == 1) {
            return fractions.get(0).describe();
        }
        return fractions.stream().map(f -> String.format(Locale.ROOT, "r %s: %s", PaperTable.trim(f.expected().trainFraction()), f.describe()))
                .collect(Collectors.joining("; "));
    }

    /** Ours in a few characters, for a grid cell: "\u2713 3190" (grokked, epoch), "r 0.4" (smallest r grokked), "6.2%" (best). */
    public String brief() {
        if (fractions.size() == 1 && cell.expectations().size() == 1) {
            FractionOutcome f = fractions.get(0);
            return f.ourGroks() ? "\u2713 " + String.format(Locale.ROOT, "%.0f", f.epochs().getMean())
                    : String.format(Locale.ROOT, "%.1f%%", 100 * f.bestAcc().getMax());
        }
        return fractions.stream().filter(FractionOutcome::ourGroks).map(f -> f.expected().trainFraction()).min(Double::compare)
                .map(r -> "r " + PaperTable.trim(r)).orElse("\u2717 (r \u2264 " + PaperTable.trim(fractions.stream()
                        .mapToDouble(f -> f.expected().trainFraction()).max().orElse(0)) + ")");
    }

    /** Why the verdict is what it is, in a few words. */
    public String why() {
        return fractions.stream().filter(f -> f.verdict() != Verdict.AGREES).map(f -> String.format(Locale.ROOT,
                "r %s: the paper %s, ours %s", PaperTable.trim(f.expected().trainFraction()),
                f.expected().groks() ? "groks" : "does not grok",
                f.ourGroks() ? "grokked" : f.verdict() == Verdict.BUDGET_LIMITED
                        ? "did not within " + String.format(Locale.ROOT, "%,d", f.budget()) + " epochs (shorter than the paper's budget)"
                        : "did not")).collect(Collectors.joining("; "));
    }
}
