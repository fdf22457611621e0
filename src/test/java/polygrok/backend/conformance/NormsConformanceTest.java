package polygrok.backend.conformance;

import static polygrok.backend.conformance.Tolerances.ONE_ROUNDING;
import static polygrok.backend.conformance.Tolerances.PENALTY;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The norms family on the whole [M, P] parameter block: the Lp penalty and the per-parameter L1/L2 norms. */
class NormsConformanceTest extends ConformanceBase {
    record PenaltyCase(double power, double alpha, int p, int m) {
        @Override
        public String toString() {
            return "p=" + power + " alpha=" + alpha + " P=" + p + " M=" + m;
        }
    }

    record NormsCase(int p, int[] offsets, int m) {
        @Override
        public String toString() {
            return "P=" + p + " stretches " + Arrays.toString(offsets) + " M=" + m;
        }
    }

    static Stream<Arguments> penaltyCases() {
        return onEachBackend(Stream.of(new PenaltyCase(2, 0.01, 300, 3), new PenaltyCase(1, 0.001, 300, 3)));
    }

    static Stream<Arguments> normsCases() {
        // each with an empty stretch, a short one and longer ones
        return onEachBackend(Stream.of(new NormsCase(929, new int[]{0, 7, 7, 27, 929}, 1), new NormsCase(929, new int[]{0, 7, 7, 27, 929}, 3),
                new NormsCase(6029, new int[]{0, 7, 7, 47, 6029}, 1), new NormsCase(6029, new int[]{0, 7, 7, 47, 6029}, 3),
                new NormsCase(1300, new int[]{0, 7, 7, 300, 1300}, 3)));
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
    @MethodSource("normsCases")
    void parameterNorms(BackendUnderTest backend, NormsCase c) {
        TwinTensors tw = twins(backend, 15);
        int m = c.m(), stretches = c.offsets().length - 1;
        Twin params = tw.random(1, m, c.p()), out = tw.random(1, m, stretches, 2), at = tw.intsOf(c.offsets(), 1, c.offsets().length);
        tw.run((be, a) -> be.parameterNorms(a[0], a[1], a[2]), params, at, out);
        tw.check("parameterNorms " + c, "out", out, ONE_ROUNDING); // float64 sums on both sides, stored in float32
    }
}
