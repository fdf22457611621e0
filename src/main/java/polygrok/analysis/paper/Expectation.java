package polygrok.analysis.paper;

/** What the paper says happens at one train fraction: the runs there grok (reach full test accuracy) or not. */
public record Expectation(double trainFraction, boolean groks) {
}
