package polygrok.analysis.paper;

/** How our runs of a cell compare with the paper. */
public enum Verdict {
    /** Grokked where the paper groks and not where it does not (by the majority of seeds). */
    AGREES("agrees"),
    /** The opposite outcome, where our budget cannot explain it. */
    DISAGREES("disagrees"),
    /** Not comparable: the paper groks, ours did not, and our budget was shorter than the paper's. */
    BUDGET_LIMITED("budget-limited");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
