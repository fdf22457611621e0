package polygrok.backend.conformance;

import static polygrok.backend.conformance.Tolerance.EXACT;
import static polygrok.backend.conformance.Tolerances.ONE_ROUNDING;
import static polygrok.backend.conformance.Tolerances.sum;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Taking the last position and summing over positions, forward and backward. */
class PositionsConformanceTest extends ConformanceBase {
    record Case(int batch, int t, int d, int m) {
        @Override
        public String toString() {
            return "B=" + batch + " T=" + t + " D=" + d + " M=" + m;
        }
    }

    static Stream<Arguments> cases() {
        return onEachBackend(Stream.of(new Case(37, 3, 20, 1), new Case(37, 3, 20, 3), new Case(300, 3, 40, 1),
                new Case(300, 3, 40, 3), new Case(5, 5, 20, 3)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void lastAndSumPositions(BackendUnderTest backend, Case c) {
        TwinTensors tw = twins(backend, 12);
        int m = c.m();
        Twin x = tw.random(1, m, c.batch(), c.t(), c.d());
        Twin last = tw.random(1, m, c.batch(), 1, c.d()), sum = tw.random(1, m, c.batch(), c.d());
        tw.run((be, a) -> be.lastPositionForward(a[0], a[1]), x, last);
        tw.check("lastPositionForward " + c, "out", last, EXACT);
        tw.run((be, a) -> be.sumPositionsForward(a[0], a[1]), x, sum);
        tw.check("sumPositionsForward " + c, "out", sum, sum(c.t()));
        // dX starts non-zero and takes both backwards: each must add into it
        Twin dLast = tw.random(1, m, c.batch(), 1, c.d()), dSum = tw.random(1, m, c.batch(), c.d());
        Twin dX = tw.random(1, m, c.batch(), c.t(), c.d());
        tw.run((be, a) -> be.lastPositionBackward(a[0], a[1]), dLast, dX);
        tw.check("lastPositionBackward " + c, "dX", dX, ONE_ROUNDING);
        tw.run((be, a) -> be.sumPositionsBackward(a[0], a[1]), dSum, dX);
        tw.check("sumPositionsBackward " + c, "dX", dX, sum(3)); // start, last-position and sum gradients
    }
}
