package polygrok.backend.conformance;

import static polygrok.backend.conformance.Tolerances.sum;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import polygrok.backend.AttentionSaved;

/**
 * Fused causal attention (projections, scores, masked softmax, mix, output projection) and its core
 * (the same without the Q, K, V projections), for all positions and for the last one alone. Weights
 * are views into one parameter block; outputs start with random values (they must be overwritten),
 * gradients too (they must be added into).
 */
class AttentionConformanceTest extends ConformanceBase {
    record Case(int batch, int t, int d, int heads, int dh, int m, boolean lastOnly) {
        int hd() {
            return heads * dh;
        }

        int tq() {
            return lastOnly ? 1 : t;
        }

        @Override
        public String toString() {
            return "B=" + batch + " T=" + t + " D=" + d + " H=" + heads + " dh=" + dh + " M=" + m + " lastOnly=" + lastOnly;
        }
    }

    /** Sizes dividing neither the vector width nor the GEMM tiles; T = 1 has a single key to attend to. */
    static Stream<Case> common(boolean... lastOnly) {
        Stream.Builder<Case> out = Stream.builder();
        for (boolean lo : lastOnly) {
            for (int m : new int[]{1, 3}) {
                out.add(new Case(37, 3, 20, 3, 7, m, lo));
                out.add(new Case(300, 3, 40, 4, 10, m, lo));
            }
        }
        return out.build();
    }

    static Stream<Arguments> fullCases() {
        return onEachBackend(Stream.concat(common(false, true), Stream.of(new Case(5, 3, 20, 3, 7, 3, false),
                new Case(5, 3, 20, 3, 7, 3, true), new Case(5, 5, 20, 3, 7, 3, false), new Case(5, 5, 20, 3, 7, 3, true),
                new Case(5, 1, 20, 3, 7, 3, false))));
    }

    static Stream<Arguments> coreCases() {
        return onEachBackend(Stream.concat(common(false, true), Stream.of(new Case(5, 3, 20, 3, 7, 3, false),
                new Case(5, 3, 20, 3, 7, 3, true), new Case(5, 5, 20, 3, 7, 3, true), new Case(5, 1, 20, 3, 7, 3, false))));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("fullCases")
    void attention(BackendUnderTest backend, Case c) {
        TwinTensors tw = twins(backend, c.lastOnly() ? 3 : 4);
        int m = c.m(), b = c.batch(), t = c.t(), tq = c.tq(), h = c.heads(), dh = c.dh(), d = c.d(), hd = c.hd();
        int[] qkvDims = {m, h, dh, d}, oDims = {m, d, hd};
        Twin[] w = tw.views(1 / Math.sqrt(d), qkvDims, qkvDims, qkvDims, oDims);
        Twin x = tw.random(1, m, b, t, d);
        Twin q = tw.random(1, m, b, tq, h, dh), k = tw.random(1, m, b, t, h, dh), v = tw.random(1, m, b, t, h, dh);
        Twin pattern = tw.random(1, m, b, h, tq, t), z = tw.random(1, m, b, tq, hd), out = tw.random(1, m, b, tq, d);
        String op = "attentionForward " + c;
        tw.run((be, a) -> be.attentionForward(a[0], a[1], a[2], a[3], a[4], c.lastOnly(),
                new AttentionSaved(a[5], a[6], a[7], a[8], a[9]), a[10]), x, w[0], w[1], w[2], w[3], q, k, v, pattern, z, out);
        tw.check(op, "saved.q", q, sum(d));
        tw.check(op, "saved.k", k, sum(d));
        tw.check(op, "saved.v", v, sum(d));
        // each stage sums over one axis and inherits the error of the sums that fed it
        tw.check(op, "saved.pattern", pattern, sum(d + dh));
        tw.check(op, "saved.z", z, sum(d + dh + t));
        tw.check(op, "out", out, sum(d + dh + t + hd));

        Twin[] dW = tw.views(1, qkvDims, qkvDims, qkvDims, oDims);
        Twin dOut = tw.random(1, m, b, tq, d), dX = tw.random(1, m, b, t, d);
        String bop = "attentionBackward " + c;
        tw.run((be, a) -> be.attentionBackward(a[0], a[1], a[2], a[3], a[4], c.lastOnly(),
                        new AttentionSaved(a[5], a[6], a[7], a[8], a[9]), a[10], a[11], a[12], a[13], a[14], a[15]),
                x, w[0], w[1], w[2], w[3], q, k, v, pattern, z, dOut, dX, dW[0], dW[1], dW[2], dW[3]);
        // dQ, dK, dV come from sums over d (dz), dh (dP) and the keys twice (softmax backward, mix)
        long dqkv = d + dh + 2L * t;
        tw.check(bop, "dX", dX, sum(3L * hd + dqkv + 1));
        tw.check(bop, "dW_Q", dW[0], sum((long) b * t + dqkv + 1));
        tw.check(bop, "dW_K", dW[1], sum((long) b * t + dqkv + 1));
        tw.check(bop, "dW_V", dW[2], sum((long) b * t + dqkv + 1));
        tw.check(bop, "dW_O", dW[3], sum((long) b * tq + d + dh + t + 1)); // z carries the forward's chain
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("coreCases")
    void attentionCore(BackendUnderTest backend, Case c) {
        TwinTensors tw = twins(backend, c.lastOnly() ? 13 : 14);
        int m = c.m(), b = c.batch(), t = c.t(), tq = c.tq(), h = c.heads(), dh = c.dh(), d = c.d(), hd = c.hd();
        Twin wO = tw.strided(2, 6, 1 / Math.sqrt(hd), m, d, hd);
        Twin q = tw.random(1, m, b, tq, h, dh), k = tw.random(1, m, b, t, h, dh), v = tw.random(1, m, b, t, h, dh);
        Twin pattern = tw.random(1, m, b, h, tq, t), z = tw.random(1, m, b, tq, hd), out = tw.random(1, m, b, tq, d);
        String op = "attentionCoreForward " + c;
        tw.run((be, a) -> be.attentionCoreForward(a[0], c.lastOnly(), new AttentionSaved(a[1], a[2], a[3], a[4], a[5]), a[6]),
                wO, q, k, v, pattern, z, out);
        tw.check(op, "saved.pattern", pattern, sum(dh));
        tw.check(op, "saved.z", z, sum(dh + t));
        tw.check(op, "out", out, sum(dh + t + hd));

        Twin dOut = tw.random(1, m, b, tq, d), dQ = tw.random(1, m, b, tq, h, dh);
        Twin dK = tw.random(1, m, b, t, h, dh), dV = tw.random(1, m, b, t, h, dh), dWO = tw.strided(4, 1, 1, m, d, hd);
        String bop = "attentionCoreBackward " + c;
        tw.run((be, a) -> be.attentionCoreBackward(a[0], c.lastOnly(), new AttentionSaved(a[1], a[2], a[3], a[4], a[5]),
                a[6], a[7], a[8], a[9], a[10]), wO, q, k, v, pattern, z, dOut, dQ, dK, dV, dWO);
        // dz = dOut W_O sums over d, dP = dz . v over dh, then the sums over keys or queries
        tw.check(bop, "dQ", dQ, sum(d + dh + t + 1L));
        tw.check(bop, "dK", dK, sum(d + dh + tq + 1L));
        tw.check(bop, "dV", dV, sum(d + tq + 1L));
        tw.check(bop, "dW_O", dWO, sum((long) b * tq + dh + t + 1)); // z carries the forward's chain
    }
}
