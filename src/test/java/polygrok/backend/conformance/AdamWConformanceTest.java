package polygrok.backend.conformance;

import static polygrok.backend.conformance.Tolerance.EXACT;
import static polygrok.backend.conformance.Tolerances.ADAMW_PARAMS;
import static polygrok.backend.conformance.Tolerances.ADAMW_V;
import static polygrok.backend.conformance.Tolerances.PENALTY;
import static polygrok.backend.conformance.Tolerances.adamFirstMoment;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import polygrok.backend.AdamWSettings;

/** AdamW on the whole [M, P] parameter block: per-model learning rates, decays and step counters, frozen entries, an Lp penalty before each step. */
class AdamWConformanceTest extends ConformanceBase {
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

    /** Adam's coupled decay and the lr warm-up: models at steps 0, 1 and 5 of a 3-step warm-up get lr factors 0, 1/3 and 1. */
    record OptionsCase(int p, boolean coupled, int warmup, double[] step) {
        @Override
        public String toString() {
            return "P=" + p + (coupled ? " adam (coupled decay)" : " adamw") + " warmup=" + warmup + " step=" + Arrays.toString(step);
        }
    }

    static Stream<Arguments> optionCases() {
        return onEachBackend(Stream.of(new OptionsCase(1367, true, 0, new double[]{0, 5, 100}),
                new OptionsCase(1367, false, 3, new double[]{0, 1, 5}), new OptionsCase(9017, true, 3, new double[]{0, 1, 5})));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("optionCases")
    void adamOptions(BackendUnderTest backend, OptionsCase c) {
        TwinTensors tw = twins(backend, 15);
        org.junit.jupiter.api.Assumptions.assumeTrue(tw.got().hasAdamOptions(),
                () -> backend + " has no coupled decay or warm-up (a config with them is refused there)");
        int m = c.step().length, p = c.p();
        Twin params = tw.random(1, m, p), mom1 = tw.zeros(m, p), mom2 = tw.zeros(m, p);
        Twin trainable = tw.of(mask(p, 11, 5), 1, p);
        Twin lr = tw.of(new double[]{1e-3, 2e-3, 3e-3}, m, 1), wd = tw.of(new double[]{1, 0.5, 0}, m, 1), step = tw.of(c.step(), m, 1);
        for (int it = 0; it < 3; it++) {
            Twin grads = tw.random(1e-2, m, p);
            tw.run((be, a) -> be.adamwStep(a[0], a[1], a[2], a[3], new AdamWSettings(a[4], a[5], a[6], a[7], 0.9, 0.98, 1e-8,
                    c.coupled(), c.warmup())), params, grads, mom1, mom2, lr, wd, step, trainable);
            String op = "adamwStep " + (it + 1) + " " + c;
            tw.check(op, "params", params, ADAMW_PARAMS);
            tw.check(op, "m", mom1, adamFirstMoment(c.coupled() ? 1 : 1e-2)); // coupled: the moments carry wd w, of size 1
            tw.check(op, "v", mom2, ADAMW_V);
            tw.check(op, "step", step, EXACT);
        }
    }
}
