package polygrok.backend.conformance;

import static polygrok.backend.conformance.Tolerance.EXACT;
import static polygrok.backend.conformance.Tolerances.ADAMW_PARAMS;
import static polygrok.backend.conformance.Tolerances.ADAMW_V;
import static polygrok.backend.conformance.Tolerances.GRAD_FILTER;
import static polygrok.backend.conformance.Tolerances.ONE_ROUNDING;
import static polygrok.backend.conformance.Tolerances.PENALTY;
import static polygrok.backend.conformance.Tolerances.adamFirstMoment;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import polygrok.backend.AdamWSettings;

/** What works on the whole [M, P] parameter block: the Lp penalty, gradient filters, AdamW and the per-parameter norms. */
class OptimizerConformanceTest extends ConformanceBase {
    record PenaltyCase(double power, double alpha, int p, int m) {
        @Override
        public String toString() {
            return "p=" + power + " alpha=" + alpha + " P=" + p + " M=" + m;
        }
    }

    /**
     * Three AdamW steps from per-model learning rates, decays and step counters, some entries frozen
     * (every {@code frozenEvery}-th, from {@code frozenAt}); with {@code penaltyPowers}, an Lp penalty
     * of that power adds into the gradient before each step.
     */
    record AdamCase(int p, double[] lr, double[] wd, double[] step, double gradScale, int frozenEvery, int frozenAt,
                    double[] penaltyPowers) {
        int m() {
            return lr.length;
        }

        @Override
        public String toString() {
            return "P=" + p + " M=" + m() + " lr=" + Arrays.toString(lr) + " wd=" + Arrays.toString(wd) + " step="
                    + Arrays.toString(step) + (penaltyPowers.length > 0 ? " penalty p=" + Arrays.toString(penaltyPowers) : "");
        }
    }

    record NormsCase(int p, int[] offsets, int m) {
        @Override
        public String toString() {
            return "P=" + p + " stretches " + Arrays.toString(offsets) + " M=" + m;
        }
    }

    /** A gradient filter: window 0 is the EMA (alpha), a window W >= 1 the moving average of the last W gradients. */
    record FilterCase(int p, int m, double alpha, double lambda, int window, int calls) {
        @Override
        public String toString() {
            return (window == 0 ? "ema alpha=" + alpha : "ma window=" + window) + " lambda=" + lambda + " P=" + p + " M=" + m + ", "
                    + calls + " calls";
        }
    }

    static Stream<Arguments> filterCases() {
        // the moving average before and after its window fills (3 calls with W 2 and W 4)
        return onEachBackend(Stream.of(new FilterCase(1367, 1, 0.98, 2, 0, 3), new FilterCase(1367, 3, 0.9, 5, 0, 3),
                new FilterCase(929, 3, 0, 5, 2, 3), new FilterCase(929, 3, 0, 1, 4, 3)));
    }

    static Stream<Arguments> penaltyCases() {
        return onEachBackend(Stream.of(new PenaltyCase(2, 0.01, 300, 3), new PenaltyCase(1, 0.001, 300, 3)));
    }

    static Stream<Arguments> adamCases() {
        double[] penalties = {2, 1.5, 1.5};
        return onEachBackend(Stream.of(
                // sizes of a small and a larger model; model i has lr 1e-3 (i + 1) and decay 1 / (i + 1)
                new AdamCase(1367, new double[]{1e-3}, new double[]{1}, new double[]{0}, 1e-2, 11, 5, penalties),
                new AdamCase(1367, new double[]{1e-3, 2e-3, 3e-3}, new double[]{1, 0.5, 1 / 3.0}, new double[3], 1e-2, 11, 5, penalties),
                new AdamCase(9017, new double[]{1e-3}, new double[]{1}, new double[]{0}, 1e-2, 11, 5, penalties),
                new AdamCase(9017, new double[]{1e-3, 2e-3, 3e-3}, new double[]{1, 0.5, 1 / 3.0}, new double[3], 1e-2, 11, 5, penalties),
                // models at different step counts (bias corrections differ), one without decay
                new AdamCase(301, new double[]{1e-3, 3e-3, 1e-2}, new double[]{1, 0, 0.1}, new double[]{0, 5, 100}, 0.5, 5, 1,
                        new double[0])));
    }

    static Stream<Arguments> normsCases() {
        // each with an empty stretch, a short one and longer ones
        return onEachBackend(Stream.of(new NormsCase(929, new int[]{0, 7, 7, 27, 929}, 1), new NormsCase(929, new int[]{0, 7, 7, 27, 929}, 3),
                new NormsCase(6029, new int[]{0, 7, 7, 47, 6029}, 1), new NormsCase(6029, new int[]{0, 7, 7, 47, 6029}, 3),
                new NormsCase(1300, new int[]{0, 7, 7, 300, 1300}, 3)));
    }

    /** 1 where trainable, 0 at every {@code every}-th entry from {@code at}. */
    private static double[] mask(int p, int every, int at) {
        double[] mask = new double[p];
        for (int j = 0; j < p; j++) {
            mask[j] = j % every == at ? 0 : 1;
        }
        return mask;
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("penaltyCases")
    void lpPenalty(BackendUnderTest backend, PenaltyCase c) {
        TwinTensors tw = twins(backend, 16);
        int m = c.m(), p = c.p();
        Twin w = tw.random(1, m, p), g = tw.random(0.1, m, p), penalty = tw.random(1, m, 1), trainable = tw.of(mask(p, 7, 3), 1, p);
        tw.run((be, a) -> be.lpPenalty(a[0], a[1], c.power(), c.alpha(), a[2], a[3]), w, trainable, g, penalty);
        tw.check("lpPenalty " + c, "penalty", penalty, PENALTY);
        tw.check("lpPenalty " + c, "grads", g, PENALTY);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("adamCases")
    void adamw(BackendUnderTest backend, AdamCase c) {
        TwinTensors tw = twins(backend, 14);
        int m = c.m(), p = c.p();
        Twin params = tw.random(1, m, p), mom1 = tw.zeros(m, p), mom2 = tw.zeros(m, p);
        Twin trainable = tw.of(mask(p, c.frozenEvery(), c.frozenAt()), 1, p);
        Twin lr = tw.of(c.lr(), m, 1), wd = tw.of(c.wd(), m, 1), step = tw.of(c.step(), m, 1);
        for (int it = 0; it < 3; it++) {
            Twin grads = tw.random(c.gradScale(), m, p);
            if (c.penaltyPowers().length > 0) {
                double power = c.penaltyPowers()[it];
                Twin penalty = tw.zeros(m, 1);
                tw.run((be, a) -> be.lpPenalty(a[0], a[1], power, 1e-3, a[2], a[3]), params, trainable, grads, penalty);
                tw.check("lpPenalty(p=" + power + ") before step " + (it + 1) + " " + c, "grads", grads, PENALTY);
                tw.check("lpPenalty(p=" + power + ") before step " + (it + 1) + " " + c, "penalty", penalty, PENALTY);
            }
            tw.run((be, a) -> be.adamwStep(a[0], a[1], a[2], a[3], new AdamWSettings(a[4], a[5], a[6], a[7], 0.9, 0.98, 1e-8)),
                    params, grads, mom1, mom2, lr, wd, step, trainable);
            String op = "adamwStep " + (it + 1) + " " + c;
            tw.check(op, "params", params, ADAMW_PARAMS);
            tw.check(op, "m", mom1, adamFirstMoment(c.gradScale()));
            tw.check(op, "v", mom2, ADAMW_V);
            tw.check(op, "step", step, EXACT);
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("normsCases")
    void parameterNorms(BackendUnderTest backend, NormsCase c) {
        TwinTensors tw = twins(backend, 15);
        int m = c.m(), stretches = c.offsets().length - 1;
        Twin params = tw.random(1, m, c.p()), out = tw.random(1, m, stretches, 2), at = tw.intsOf(c.offsets(), 1, c.offsets().length);
        tw.run((be, a) -> be.parameterNorms(a[0], a[1], a[2]), params, at, out);
        tw.check("parameterNorms " + c, "out", out, ONE_ROUNDING); // float64 sums on both sides, stored in float32
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("filterCases")
    void gradFilter(BackendUnderTest backend, FilterCase c) {
        TwinTensors tw = twins(backend, 17);
        Assumptions.assumeTrue(tw.got().hasGradFilter(), () -> backend + " has no gradient filter (a config with one is refused there)");
        int m = c.m(), p = c.p(), slots = Math.max(1, c.window());
        Twin state = tw.zeros(m, slots * p), count = tw.zeros(m, 1), trainable = tw.of(mask(p, 7, 2), 1, p);
        for (int call = 1; call <= c.calls(); call++) {
            Twin grads = tw.random(0.1, m, p);
            tw.run((be, a) -> be.gradFilter(a[0], a[1], a[2], a[3], c.alpha(), c.lambda(), c.window()), grads, state, count, trainable);
            String op = "gradFilter call " + call + " " + c;
            tw.check(op, "grads", grads, GRAD_FILTER);
            tw.check(op, "state", state, GRAD_FILTER);
            tw.check(op, "count", count, EXACT);
        }
    }
}
