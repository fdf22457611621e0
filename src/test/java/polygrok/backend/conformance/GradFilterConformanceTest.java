package polygrok.backend.conformance;

import static polygrok.backend.conformance.Tolerance.EXACT;
import static polygrok.backend.conformance.Tolerances.GRAD_FILTER;

import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Grokfast's gradient filters on the [M, P] gradient block: the EMA and the moving average before and after its window fills. */
class GradFilterConformanceTest extends ConformanceBase {
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
