package polygrok.backend.conformance;

import static polygrok.backend.conformance.Tolerances.sum;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import polygrok.backend.Activation;

/** The fused MLP (in, activation, out), with ReLU and exact GELU. */
class MlpConformanceTest extends ConformanceBase {
    record Case(Activation act, int n, int d, int f, int m) {
        @Override
        public String toString() {
            return act + " N=" + n + " D=" + d + " F=" + f + " M=" + m;
        }
    }

    static Stream<Arguments> cases() {
        Stream.Builder<Case> out = Stream.builder();
        for (Activation act : Activation.values()) {
            out.add(new Case(act, 37, 20, 45, 1)).add(new Case(act, 37, 20, 45, 3));
            out.add(new Case(act, 300, 40, 150, 1)).add(new Case(act, 300, 40, 150, 3));
            out.add(new Case(act, 15, 20, 45, 3));
            // ragged GEMM widths on cpu: 113 and 200 leave edge tiles of two and one vector, 115 rows a one-row tile
            out.add(new Case(act, 115, 113, 200, 2));
        }
        return onEachBackend(out.build());
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void mlp(BackendUnderTest backend, Case c) {
        TwinTensors tw = twins(backend, c.act() == Activation.RELU ? 5 : 6);
        int m = c.m(), n = c.n(), d = c.d(), f = c.f();
        Twin[] w = tw.views(1 / Math.sqrt(d), new int[]{m, f, d}, new int[]{m, d, f});
        Twin x = tw.random(1, m, n, d), pre = tw.random(1, m, n, f), out = tw.random(1, m, n, d);
        String op = "mlpForward " + c;
        tw.run((be, a) -> be.mlpForward(a[0], a[1], a[2], c.act(), a[3], a[4]), x, w[0], w[1], pre, out);
        tw.check(op, "pre", pre, sum(d));
        tw.check(op, "out", out, sum(d + f)); // inherits the error of pre
        Twin[] dW = tw.views(1, new int[]{m, f, d}, new int[]{m, d, f});
        Twin dOut = tw.random(1, m, n, d), dX = tw.random(1, m, n, d);
        String bop = "mlpBackward " + c;
        tw.run((be, a) -> be.mlpBackward(a[0], a[1], a[2], c.act(), a[3], a[4], a[5], a[6], a[7]),
                x, w[0], w[1], pre, dOut, dX, dW[0], dW[1]);
        // dpre = dOut W_out sums over d; act(pre) inherits pre's sum over d
        tw.check(bop, "dX", dX, sum(d + f + 1L));
        tw.check(bop, "dW_in", dW[0], sum(n + d + 1L));
        tw.check(bop, "dW_out", dW[1], sum(n + d + 1L));
    }
}
