package polygrok.analysis.paper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    /** From a run's curve, up to (excluding) {@code epochsRun} when that is known (a continued run's curve goes on past its summary). */
    static LateGain read(Path dir, int epochsRun) throws IOException {
        RunCurve c = RunCurve.read(dir).before(epochsRun);
        List<double[]> curve = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) {
            curve.add(new double[] {c.epochs()[i], c.testAcc()[i]});
        }
        return of(curve);
    }

    /** From (epoch, test accuracy) pairs in epoch order. */
    static LateGain of(List<double[]> curve) {
        if (curve.size() < 2) {
            return NONE;
        }
        double[] last = curve.get(curve.size() - 1);
        double from = last[0] - LAST_FRACTION * (last[0] + 1);
        double[] start = null;
        for (double[] p : curve) {
            if (p[0] <= from) {
                start = p;
            }
        }
        if (start == null || start == last) {
            return NONE;
        }
        return new LateGain(100 * (last[1] - start[1]), (int) start[0], (int) last[0]);
    }
}
