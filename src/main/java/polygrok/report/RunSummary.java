package polygrok.report;

import polygrok.analysis.CheckpointMeasures;

/**
 * One run's line in the summary table.
 *
 * @param epochsTo50 first epoch with test accuracy >= 50% (null: never)
 * @param ffdEnd FFD of W_E at the last analysed checkpoint, or the last logged value (NaN: unknown)
 */
public record RunSummary(String label, String experiment, String ops, Integer p, Double trainFraction, Integer seed,
                         Integer epochsTo50, Integer epochsTo90, Integer epochsTo99, double bestTestAcc, double finalTestAcc,
                         double ffdInit, double fcrInit, double ffdEnd, double fcrEnd, double wallSeconds) {

    public static RunSummary of(RunData run) {
        double[] testAcc = run.series("test_acc");
        double finalAcc = testAcc.length == 0 ? Double.NaN : testAcc[testAcc.length - 1];
        double ffdInit = Double.NaN;
        double fcrInit = Double.NaN;
        double ffdEnd = lastFinite(run.series("ffd"));
        double fcrEnd = lastFinite(run.series("fcr"));
        if (run.analysis() != null && !run.analysis().checkpoints().isEmpty()) {
            CheckpointMeasures first = run.analysis().checkpoints().get(0);
            CheckpointMeasures last = run.analysis().checkpoints().get(run.analysis().checkpoints().size() - 1);
            ffdInit = first.ffd();
            fcrInit = first.fcr();
            ffdEnd = last.ffd();
            fcrEnd = last.fcr();
        }
        Integer p = run.config().has("p") ? Integer.valueOf(run.config().get("p").getAsInt())
                : run.summary() != null && run.summary().has("p") ? Integer.valueOf(run.summary().get("p").getAsInt()) : null;
        double frac = RunData.number(run.config(), "train_fraction");
        if (Double.isNaN(frac)) {
            frac = RunData.number(run.summary(), "train_fraction");
        }
        double wall = RunData.number(run.summary(), "wall_s");
        if (Double.isNaN(wall)) {
            wall = lastFinite(run.series("wall_s"));
        }
        return new RunSummary(run.label(), run.experimentName(), String.join(" + ", run.ops()), p,
                Double.isNaN(frac) ? null : frac, run.seed(),
                run.epochsToAccuracy(0.5), run.epochsToAccuracy(0.9), run.epochsToAccuracy(0.99),
                run.bestTestAccuracy(), finalAcc, ffdInit, fcrInit, ffdEnd, fcrEnd, wall);
    }

    private static double lastFinite(double[] v) {
        for (int i = v.length - 1; i >= 0; i--) {
            if (!Double.isNaN(v[i])) {
                return v[i];
            }
        }
        return Double.NaN;
    }
}
