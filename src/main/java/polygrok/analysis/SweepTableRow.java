package polygrok.analysis;

import java.util.List;

/**
 * One line of a sweep's table: a sweep point (an op list at one train fraction, lr, ...) with its
 * seeds aggregated. Statistics are over finished runs; a mean is NaN when no run has the value,
 * a standard deviation (sample, n - 1) is NaN below two values.
 *
 * @param point          the point's directory name, e.g. "add_f0.3"
 * @param ops            the op list, mixtures joined by " + "
 * @param seeds          seeds with a finished run (summary.json)
 * @param unfinished     runs started or planned but without a summary yet
 * @param inProgress     of those, the runs another process was training when the table was read
 * @param grokked        finished runs whose test accuracy reached 99%
 * @param epochsTo99     over the runs that grokked: mean and standard deviation of the first eval epoch at >= 99%
 * @param bestTestAcc    over finished runs
 * @param ffdEnd         the last logged FFD (of W_E, eta 0.5) per run, over runs that logged one
 * @param fcrEnd         the last logged FCR, likewise
 */
public record SweepTableRow(String point, String ops, Integer p, Double trainFraction, Double lr, Double weightDecay,
                            List<Long> seeds, int unfinished, int inProgress, int grokked, Stat epochsTo99, Stat bestTestAcc, Stat ffdEnd,
                            Stat fcrEnd) {
    public SweepTableRow {
        seeds = List.copyOf(seeds);
    }

    /** Mean and sample standard deviation of n values (NaN where undefined). */
    public record Stat(int n, double mean, double std) {
        public static final Stat NONE = new Stat(0, Double.NaN, Double.NaN);
    }

    /** Finished runs. */
    public int finished() {
        return seeds.size();
    }

    /** Share of finished runs that grokked (NaN with none finished). */
    public double grokkedFraction() {
        return seeds.isEmpty() ? Double.NaN : (double) grokked / seeds.size();
    }
}
