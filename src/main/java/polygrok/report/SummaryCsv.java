package polygrok.report;

import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The summary by configuration as CSV (one row per configuration, the layout of the paper's
 * Table A.5): epochs to 50/90/99% as mean and sample standard deviation over the seeds that
 * reached them, the share of seeds that grokked (reached 99%), best test accuracy and FFD/FCR at
 * the end. Empty cells mean "no value" (no seed reached it, or a single seed has no spread).
 */
public final class SummaryCsv {
    private SummaryCsv() {
    }

    public static String render(List<SeedGroup> groups) {
        StringBuilder b = new StringBuilder();
        b.append("configuration,ops,p,train_fraction,seeds,grokked,grokked_fraction,"
                + "epochs_to_50_mean,epochs_to_50_std,epochs_to_90_mean,epochs_to_90_std,epochs_to_99_mean,epochs_to_99_std,"
                + "best_test_acc_mean,best_test_acc_std,ffd_end_mean,ffd_end_std,fcr_end_mean,fcr_end_std\n");
        for (SeedGroup g : groups) {
            int n = g.runs().size();
            int grokked = g.reached(RunSummary::epochsTo99);
            b.append(quote(g.label())).append(',').append(quote(g.ops())).append(',')
                    .append(g.p() == null ? "" : g.p()).append(',')
                    .append(g.trainFraction() == null ? "" : fmt(g.trainFraction())).append(',')
                    .append(n).append(',').append(grokked).append(',').append(fmt((double) grokked / n));
            epochs(b, g, RunSummary::epochsTo50);
            epochs(b, g, RunSummary::epochsTo90);
            epochs(b, g, RunSummary::epochsTo99);
            values(b, g, RunSummary::bestTestAcc);
            values(b, g, RunSummary::ffdEnd);
            values(b, g, RunSummary::fcrEnd);
            b.append('\n');
        }
        return b.toString();
    }

    private static void epochs(StringBuilder b, SeedGroup g, Function<RunSummary, Integer> f) {
        stats(b, g.epochs(f));
    }

    private static void values(StringBuilder b, SeedGroup g, ToDoubleFunction<RunSummary> f) {
        stats(b, g.values(f));
    }

    private static void stats(StringBuilder b, DescriptiveStatistics s) {
        b.append(',').append(s.getN() == 0 ? "" : fmt(s.getMean()));
        b.append(',').append(s.getN() < 2 ? "" : fmt(s.getStandardDeviation()));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
