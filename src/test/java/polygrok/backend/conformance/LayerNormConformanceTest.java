package polygrok.backend.conformance;

import static polygrok.backend.conformance.Tolerances.sum;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** LayerNorm over the model dimension, forward (with its saved mean and 1/std) and backward. */
class LayerNormConformanceTest extends ConformanceBase {
    record Case(int n, int d, int m) {
        @Override
        public String toString() {
            return "N=" + n + " D=" + d + " M=" + m;
        }
    }

    static Stream<Arguments> cases() {
        return onEachBackend(Stream.of(new Case(37, 20, 1), new Case(37, 20, 3), new Case(300, 40, 1), new Case(300, 40, 3),
                new Case(9, 37, 3), new Case(130, 131, 2), new Case(600, 128, 1)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void layerNorm(BackendUnderTest backend, Case c) {
        TwinTensors tw = twins(backend, 11);
        int m = c.m(), n = c.n(), d = c.d();
        Twin[] wb = tw.views(1, new int[]{m, d}, new int[]{m, d});
        Twin x = tw.random(2, m, n, d), mean = tw.random(1, m, n), rstd = tw.random(1, m, n), out = tw.random(1, m, n, d);
        String op = "layerNormForward " + c;
        tw.run((be, a) -> be.layerNormForward(a[0], a[1], a[2], 1e-5, a[3], a[4], a[5]), x, wb[0], wb[1], mean, rstd, out);
        // x is drawn from [-2, 2): sums of d such numbers count twice
        tw.check(op, "mean", mean, sum(2L * d));
        tw.check(op, "rstd", rstd, sum(2L * d));
        tw.check(op, "out", out, sum(2L * d));
        Twin[] dWB = tw.views(1, new int[]{m, d}, new int[]{m, d});
        Twin dOut = tw.random(1, m, n, d), dX = tw.random(1, m, n, d);
        String bop = "layerNormBackward " + c;
        tw.run((be, a) -> be.layerNormBackward(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]),
                x, wb[0], mean, rstd, dOut, dX, dWB[0], dWB[1]);
        tw.check(bop, "dX", dX, sum(4L * d + 1));
        tw.check(bop, "dW", dWB[0], sum(2L * n + 1));
        tw.check(bop, "dB", dWB[1], sum(n + 1L));
    }
}
