package polygrok.analysis.paper;

import java.io.IOException;
import java.nio.file.Path;

/**
 * How much a run's test accuracy rose over the last fifth of the epochs it ran: the difference
 * between its last eval and the last eval at or before 80% of the run. It tells a budget-limited cell
 * that was still climbing when its budget ran out from one that had settled.
 *
 * @param points    test accuracy gained, in percentage points (negative when it fell)
 * @param fromEpoch the earlier eval
 * @param toEpoch   the last eval
 */
public record LateGain(double points, int fromEpoch, int toEpoch) {
    /** No curve to read, or too short a one. */
    public static final LateGain NONE = new LateGain(Double.NaN, 0, 0);
    /** The window is this fraction of the run, at its end. */
    static final double LAST_FRACTION = 0.2;

    public boolean known() {
        return !Double.isNaN(points);
    }

    /**
     * From a run's curve ({@code task} null) or one mixture task's, up to (excluding) {@code epochsRun} when that is
     * known (a continued run's curve goes on past its summary).
     */
    static LateGain read(Path dir, String task, int epochsRun) throws IOException {
        return of(RunCurve.read(dir, task).before(epochsRun));
    }

    /** From a curve whose epochs ascend. */
    static LateGain of(RunCurve curve) {
        int n = curve.size();
        if (n < 2) {
            return NONE;
        }
        double[] epochs = curve.epochs(), acc = curve.testAcc();
        double from = epochs[n - 1] - LAST_FRACTION * (epochs[n - 1] + 1);
        int start = -1;
        for (int i = 0; i < n - 1 && epochs[i] <= from; i++) {
            start = i;
        }
        return start < 0 ? NONE : new LateGain(100 * (acc[n - 1] - acc[start]), (int) epochs[start], (int) epochs[n - 1]);
    }
}
