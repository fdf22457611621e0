package polygrok.report;

import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Runs of one configuration that differ only in seed, with mean and spread over the seeds. Runs
 * are grouped by ops, p, train fraction and experiment name with any seed suffix removed
 * ("add_s1" and "add_s2" are one group).
 */
public record SeedGroup(String label, String ops, Integer p, Double trainFraction, List<RunSummary> runs) {
    public SeedGroup {
        runs = List.copyOf(runs);
    }

    public static List<SeedGroup> of(List<RunSummary> runs) {
        Map<String, List<RunSummary>> groups = new LinkedHashMap<>();
        for (RunSummary r : runs) {
            String key = baseName(r.experiment()) + "|" + r.ops() + "|" + r.p() + "|" + r.trainFraction();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<SeedGroup> out = new ArrayList<>();
        for (List<RunSummary> g : groups.values()) {
            RunSummary first = g.get(0);
            out.add(new SeedGroup(baseName(first.experiment()), first.ops(), first.p(), first.trainFraction(), g));
        }
        return out;
    }

    /** An experiment name without a trailing seed marker (_s3, -seed3, _seed_3, /seed_3). */
    static String baseName(String name) {
        return name.replaceAll("([_/-](s|seed)_?\\d+)$", "");
    }

    /** How many runs reached the threshold epoch (non-null). */
    public int reached(Function<RunSummary, Integer> epochs) {
        return (int) runs.stream().filter(r -> epochs.apply(r) != null).count();
    }

    /** Statistics of an epoch count over the runs that reached it. */
    public DescriptiveStatistics epochs(Function<RunSummary, Integer> epochs) {
        DescriptiveStatistics s = new DescriptiveStatistics();
        runs.stream().map(epochs).filter(e -> e != null).forEach(e -> s.addValue(e));
        return s;
    }

    /** Statistics of a value over the runs where it is known (not NaN). */
    public DescriptiveStatistics values(ToDoubleFunction<RunSummary> value) {
        DescriptiveStatistics s = new DescriptiveStatistics();
        for (RunSummary r : runs) {
            double v = value.applyAsDouble(r);
            if (!Double.isNaN(v)) {
                s.addValue(v);
            }
        }
        return s;
    }
}
