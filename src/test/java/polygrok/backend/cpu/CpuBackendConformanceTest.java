package polygrok.backend.cpu;

import static polygrok.backend.cpu.Twins.assertClose;
import static polygrok.backend.cpu.Twins.assertSameInts;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import polygrok.backend.Activation;
import polygrok.backend.AdamWSettings;
import polygrok.backend.AttentionSaved;
import polygrok.backend.WeightLayout;
import polygrok.backend.cpu.Twins.Pair;

/**
 * Every op of the cpu backend, forward and backward, against the float64 reference on seeded random
 * inputs: one and three models, weights as strided views into a parameter block, sizes that divide
 * neither the vector width nor the GEMM tiles, and both the Vector API and the scalar kernel.
 * Gradients start from random values so that "adds into" is checked too.
 */
class CpuBackendConformanceTest {
    /** Outputs of a few dozen float32 multiply-adds, or of elementwise maps. */
    private static final double ATOL = 2e-5, RTOL = 1e-4;
    /** Weight gradients: sums over every example (hundreds of float32 terms). */
    private static final double GRAD_ATOL = 1e-4, GRAD_RTOL = 1e-4;

    record Sizes(String name, int batch, int t, int d, int heads, int dh, int f, int v) {
    }

    record Case(String kernel, int threads, boolean vector, Sizes s, int models) {
        @Override
        public String toString() {
            return kernel + " x" + threads + ", " + s.name() + ", M=" + models;
        }

        Twins twins(long seed) {
            return new Twins(new CpuBackend(threads, vector), seed);
        }
    }

    static Stream<Case> cases() {
        // small: serial paths and partial tiles; large: the pool, several GEMM row, column and depth blocks
        Sizes small = new Sizes("small", 37, 3, 20, 3, 7, 45, 29);
        Sizes large = new Sizes("large", 300, 3, 40, 4, 10, 150, 53);
        List<Case> out = new ArrayList<>();
        for (Sizes s : List.of(small, large)) {
            for (int m : new int[]{1, 3}) {
                out.add(new Case("vector", 2, true, s, m));
                out.add(new Case("scalar", 3, false, s, m));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void memoryOps(Case c) {
        Twins tw = c.twins(1);
        int m = c.models();
        Pair a = tw.random(1, m, 7, 13), b = tw.random(1, m, 7, 13), out = tw.zeros(m, 7, 13);
        both(tw, (be, x) -> be.add(x[0], x[1], x[2]), a, b, out);
        assertClose("add", "out", out, 0, 1e-7);
        both(tw, (be, x) -> be.addInto(x[0], x[1]), a, b);
        assertClose("addInto", "dst", b, 0, 1e-7);
        Pair view = tw.strided(3, 5, 1, m, 7, 13);
        both(tw, (be, x) -> be.copy(x[0], x[1]), a, view);
        assertClose("copy", "dst (strided)", view, 0, 0);
        both(tw, (be, x) -> be.fill(x[0], 0.25), view);
        assertClose("fill", "t (strided)", view, 0, 0);
        Pair ints = tw.ints(11, m, 5);
        assertSameInts("ints", "t", ints);
        int[] iv = new int[m * 5];
        for (int i = 0; i < iv.length; i++) {
            iv[i] = 3 * i + 1;
        }
        both(tw, (be, x) -> be.uploadInts(x[0], iv), ints);
        assertSameInts("uploadInts", "dst", ints);
        double[] up = new double[m * 7 * 13];
        for (int i = 0; i < up.length; i++) {
            up[i] = Math.sin(i) * 3;
        }
        Pair uploaded = tw.of(up, m, 7, 13);
        assertClose("upload", "dst", uploaded, 0, 1e-7);
        tw.cpu.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void embedding(Case c) {
        Twins tw = c.twins(2);
        Sizes s = c.s();
        int m = c.models();
        Pair wE = tw.strided(4, 9, 1, m, s.d(), s.v()), tokens = tw.ints(s.v(), m, s.batch(), s.t());
        Pair out = tw.zeros(m, s.batch(), s.t(), s.d());
        both(tw, (be, x) -> be.embedForward(x[0], x[1], x[2]), wE, tokens, out);
        assertClose("embedForward", "out", out, 0, 0);
        Pair dOut = tw.random(1, m, s.batch(), s.t(), s.d()), dWE = tw.strided(2, 3, 1, m, s.d(), s.v());
        both(tw, (be, x) -> be.embedBackward(x[0], x[1], x[2]), dOut, tokens, dWE);
        assertClose("embedBackward", "dW_E", dWE, GRAD_ATOL, GRAD_RTOL);

        Pair wPos = tw.strided(1, 2, 1, m, s.t() + 1, s.d()), x = tw.random(1, m, s.batch(), s.t(), s.d());
        both(tw, (be, y) -> be.positionalForward(y[0], y[1]), wPos, x);
        assertClose("positionalForward", "x", x, ATOL, RTOL);
        Pair dX = tw.random(1, m, s.batch(), s.t(), s.d()), dWPos = tw.strided(1, 2, 1, m, s.t() + 1, s.d());
        both(tw, (be, y) -> be.positionalBackward(y[0], y[1]), dX, dWPos);
        assertClose("positionalBackward", "dW_pos", dWPos, GRAD_ATOL, GRAD_RTOL);
        tw.cpu.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void attentionFullContext(Case c) {
        attention(c, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void attentionLastPositionOnly(Case c) {
        attention(c, true);
    }

    private void attention(Case c, boolean lastOnly) {
        Twins tw = c.twins(lastOnly ? 3 : 4);
        Sizes s = c.s();
        int m = c.models(), hd = s.heads() * s.dh(), tq = lastOnly ? 1 : s.t();
        double ws = 1 / Math.sqrt(s.d());
        Pair x = tw.random(1, m, s.batch(), s.t(), s.d());
        Pair wQ = tw.strided(3, 11, ws, m, s.heads(), s.dh(), s.d()), wK = tw.strided(0, 7, ws, m, s.heads(), s.dh(), s.d());
        Pair wV = tw.strided(5, 1, ws, m, s.heads(), s.dh(), s.d()), wO = tw.strided(2, 6, 1 / Math.sqrt(hd), m, s.d(), hd);
        Pair q = tw.zeros(m, s.batch(), tq, s.heads(), s.dh()), k = tw.zeros(m, s.batch(), s.t(), s.heads(), s.dh());
        Pair v = tw.zeros(m, s.batch(), s.t(), s.heads(), s.dh()), pattern = tw.zeros(m, s.batch(), s.heads(), tq, s.t());
        Pair z = tw.zeros(m, s.batch(), tq, hd), out = tw.zeros(m, s.batch(), tq, s.d());
        String op = "attentionForward(lastOnly=" + lastOnly + ")";
        both(tw, (be, a) -> be.attentionForward(a[0], a[1], a[2], a[3], a[4], lastOnly,
                new AttentionSaved(a[5], a[6], a[7], a[8], a[9]), a[10]), x, wQ, wK, wV, wO, q, k, v, pattern, z, out);
        assertClose(op, "saved.q", q, ATOL, RTOL);
        assertClose(op, "saved.k", k, ATOL, RTOL);
        assertClose(op, "saved.v", v, ATOL, RTOL);
        assertClose(op, "saved.pattern", pattern, ATOL, RTOL);
        assertClose(op, "saved.z", z, ATOL, RTOL);
        assertClose(op, "out", out, ATOL, RTOL);

        Pair dOut = tw.random(1, m, s.batch(), tq, s.d()), dX = tw.random(1, m, s.batch(), s.t(), s.d());
        Pair dWQ = tw.strided(1, 4, 1, m, s.heads(), s.dh(), s.d()), dWK = tw.strided(2, 3, 1, m, s.heads(), s.dh(), s.d());
        Pair dWV = tw.strided(3, 2, 1, m, s.heads(), s.dh(), s.d()), dWO = tw.strided(4, 1, 1, m, s.d(), hd);
        String bop = "attentionBackward(lastOnly=" + lastOnly + ")";
        both(tw, (be, a) -> be.attentionBackward(a[0], a[1], a[2], a[3], a[4], lastOnly,
                        new AttentionSaved(a[5], a[6], a[7], a[8], a[9]), a[10], a[11], a[12], a[13], a[14], a[15]),
                x, wQ, wK, wV, wO, q, k, v, pattern, z, dOut, dX, dWQ, dWK, dWV, dWO);
        assertClose(bop, "dX", dX, ATOL, RTOL);
        assertClose(bop, "dW_Q", dWQ, GRAD_ATOL, GRAD_RTOL);
        assertClose(bop, "dW_K", dWK, GRAD_ATOL, GRAD_RTOL);
        assertClose(bop, "dW_V", dWV, GRAD_ATOL, GRAD_RTOL);
        assertClose(bop, "dW_O", dWO, GRAD_ATOL, GRAD_RTOL);
        tw.cpu.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void attentionCoreFullContext(Case c) {
        attentionCore(c, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void attentionCoreLastPositionOnly(Case c) {
        attentionCore(c, true);
    }

    private void attentionCore(Case c, boolean lastOnly) {
        Twins tw = c.twins(lastOnly ? 13 : 14);
        Sizes s = c.s();
        int m = c.models(), hd = s.heads() * s.dh(), tq = lastOnly ? 1 : s.t();
        Pair q = tw.random(1, m, s.batch(), tq, s.heads(), s.dh()), k = tw.random(1, m, s.batch(), s.t(), s.heads(), s.dh());
        Pair v = tw.random(1, m, s.batch(), s.t(), s.heads(), s.dh()), wO = tw.strided(2, 6, 1 / Math.sqrt(hd), m, s.d(), hd);
        Pair pattern = tw.zeros(m, s.batch(), s.heads(), tq, s.t()), z = tw.zeros(m, s.batch(), tq, hd);
        Pair out = tw.zeros(m, s.batch(), tq, s.d());
        String op = "attentionCoreForward(lastOnly=" + lastOnly + ")";
        both(tw, (be, a) -> be.attentionCoreForward(a[0], lastOnly, new AttentionSaved(a[1], a[2], a[3], a[4], a[5]), a[6]),
                wO, q, k, v, pattern, z, out);
        assertClose(op, "saved.pattern", pattern, ATOL, RTOL);
        assertClose(op, "saved.z", z, ATOL, RTOL);
        assertClose(op, "out", out, ATOL, RTOL);

        // gradients start non-zero: the backward must add into them
        Pair dOut = tw.random(1, m, s.batch(), tq, s.d()), dQ = tw.random(1, m, s.batch(), tq, s.heads(), s.dh());
        Pair dK = tw.random(1, m, s.batch(), s.t(), s.heads(), s.dh()), dV = tw.random(1, m, s.batch(), s.t(), s.heads(), s.dh());
        Pair dWO = tw.strided(4, 1, 1, m, s.d(), hd);
        String bop = "attentionCoreBackward(lastOnly=" + lastOnly + ")";
        both(tw, (be, a) -> be.attentionCoreBackward(a[0], lastOnly, new AttentionSaved(a[1], a[2], a[3], a[4], a[5]),
                a[6], a[7], a[8], a[9], a[10]), wO, q, k, v, pattern, z, dOut, dQ, dK, dV, dWO);
        assertClose(bop, "dQ", dQ, GRAD_ATOL, GRAD_RTOL);
        assertClose(bop, "dK", dK, GRAD_ATOL, GRAD_RTOL);
        assertClose(bop, "dV", dV, GRAD_ATOL, GRAD_RTOL);
        assertClose(bop, "dW_O", dWO, GRAD_ATOL, GRAD_RTOL);
        tw.cpu.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mlpRelu(Case c) {
        mlp(c, Activation.RELU);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mlpGelu(Case c) {
        mlp(c, Activation.GELU);
    }

    private void mlp(Case c, Activation act) {
        Twins tw = c.twins(act == Activation.RELU ? 5 : 6);
        Sizes s = c.s();
        int m = c.models(), n = s.batch();
        Pair x = tw.random(1, m, n, s.d());
        Pair wIn = tw.strided(7, 3, 1 / Math.sqrt(s.d()), m, s.f(), s.d()), wOut = tw.strided(1, 5, 1 / Math.sqrt(s.f()), m, s.d(), s.f());
        Pair pre = tw.zeros(m, n, s.f()), out = tw.zeros(m, n, s.d());
        String op = "mlpForward(" + act + ")";
        both(tw, (be, a) -> be.mlpForward(a[0], a[1], a[2], act, a[3], a[4]), x, wIn, wOut, pre, out);
        assertClose(op, "pre", pre, ATOL, RTOL);
        assertClose(op, "out", out, ATOL, RTOL);
        Pair dOut = tw.random(1, m, n, s.d()), dX = tw.random(1, m, n, s.d());
        Pair dWIn = tw.strided(2, 2, 1, m, s.f(), s.d()), dWOut = tw.strided(3, 1, 1, m, s.d(), s.f());
        String bop = "mlpBackward(" + act + ")";
        both(tw, (be, a) -> be.mlpBackward(a[0], a[1], a[2], act, a[3], a[4], a[5], a[6], a[7]),
                x, wIn, wOut, pre, dOut, dX, dWIn, dWOut);
        assertClose(bop, "dX", dX, ATOL, RTOL);
        assertClose(bop, "dW_in", dWIn, GRAD_ATOL, GRAD_RTOL);
        assertClose(bop, "dW_out", dWOut, GRAD_ATOL, GRAD_RTOL);
        tw.cpu.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void linearBothLayouts(Case c) {
        for (WeightLayout layout : WeightLayout.values()) {
            Twins tw = c.twins(7 + layout.ordinal());
            Sizes s = c.s();
            int m = c.models(), n = s.batch(), in = s.d(), outDim = s.v();
            int[] wDims = layout == WeightLayout.OUT_IN ? new int[]{m, outDim, in} : new int[]{m, in, outDim};
            Pair x = tw.random(1, m, n, in), w = tw.strided(6, 4, 1 / Math.sqrt(in), wDims), y = tw.zeros(m, n, outDim);
            both(tw, (be, a) -> be.linearForward(a[0], a[1], layout, a[2]), x, w, y);
            assertClose("linearForward(" + layout + ")", "y", y, ATOL, RTOL);
            Pair dY = tw.random(1, m, n, outDim), dX = tw.random(1, m, n, in), dW = tw.strided(1, 1, 1, wDims);
            both(tw, (be, a) -> be.linearBackward(a[0], a[1], layout, a[2], a[3], a[4]), x, w, dY, dX, dW);
            assertClose("linearBackward(" + layout + ")", "dX", dX, ATOL, RTOL);
            assertClose("linearBackward(" + layout + ")", "dW", dW, GRAD_ATOL, GRAD_RTOL);
            tw.cpu.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void activations(Case c) {
        for (Activation act : Activation.values()) {
            Twins tw = c.twins(9 + act.ordinal());
            int m = c.models(), n = c.s().batch() * c.s().f();
            Pair x = tw.random(4, m, n), out = tw.zeros(m, n);
            both(tw, (be, a) -> be.activationForward(act, a[0], a[1]), x, out);
            assertClose("activationForward(" + act + ")", "out", out, 1e-6, 1e-6);
            Pair dOut = tw.random(1, m, n), dX = tw.random(1, m, n);
            both(tw, (be, a) -> be.activationBackward(act, a[0], a[1], a[2]), x, dOut, dX);
            assertClose("activationBackward(" + act + ")", "dX", dX, 1e-6, 1e-6);
            tw.cpu.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void layerNorm(Case c) {
        Twins tw = c.twins(11);
        Sizes s = c.s();
        int m = c.models(), n = s.batch();
        Pair x = tw.random(2, m, n, s.d()), w = tw.strided(1, 3, 1, m, s.d()), bias = tw.strided(2, 1, 1, m, s.d());
        Pair mean = tw.zeros(m, n), rstd = tw.zeros(m, n), out = tw.zeros(m, n, s.d());
        both(tw, (be, a) -> be.layerNormForward(a[0], a[1], a[2], 1e-5, a[3], a[4], a[5]), x, w, bias, mean, rstd, out);
        assertClose("layerNormForward", "mean", mean, ATOL, RTOL);
        assertClose("layerNormForward", "rstd", rstd, ATOL, RTOL);
        assertClose("layerNormForward", "out", out, ATOL, RTOL);
        Pair dOut = tw.random(1, m, n, s.d()), dX = tw.random(1, m, n, s.d());
        Pair dW = tw.strided(3, 2, 1, m, s.d()), dB = tw.strided(0, 4, 1, m, s.d());
        both(tw, (be, a) -> be.layerNormBackward(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]), x, w, mean, rstd, dOut, dX, dW, dB);
        assertClose("layerNormBackward", "dX", dX, ATOL, RTOL);
        assertClose("layerNormBackward", "dW", dW, GRAD_ATOL, GRAD_RTOL);
        assertClose("layerNormBackward", "dB", dB, GRAD_ATOL, GRAD_RTOL);
        tw.cpu.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void positions(Case c) {
        Twins tw = c.twins(12);
        Sizes s = c.s();
        int m = c.models();
        Pair x = tw.random(1, m, s.batch(), s.t(), s.d()), last = tw.zeros(m, s.batch(), 1, s.d()), sum = tw.zeros(m, s.batch(), s.d());
        both(tw, (be, a) -> be.lastPositionForward(a[0], a[1]), x, last);
        assertClose("lastPositionForward", "out", last, 0, 0);
        both(tw, (be, a) -> be.sumPositionsForward(a[0], a[1]), x, sum);
        assertClose("sumPositionsForward", "out", sum, ATOL, RTOL);
        Pair dLast = tw.random(1, m, s.batch(), 1, s.d()), dSum = tw.random(1, m, s.batch(), s.d());
        Pair dX = tw.random(1, m, s.batch(), s.t(), s.d());
        both(tw, (be, a) -> be.lastPositionBackward(a[0], a[1]), dLast, dX);
        assertClose("lastPositionBackward", "dX", dX, ATOL, RTOL);
        both(tw, (be, a) -> be.sumPositionsBackward(a[0], a[1]), dSum, dX);
        assertClose("sumPositionsBackward", "dX", dX, ATOL, RTOL);
        tw.cpu.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void crossEntropy(Case c) {
        Twins tw = c.twins(13);
        Sizes s = c.s();
        int m = c.models(), batch = s.batch(), vocab = s.v();
        Pair logits = tw.random(6, m, batch, vocab), labels = tw.ints(vocab, m, batch);
        double[] wv = new double[m * batch];
        for (int i = 0; i < wv.length; i++) {
            wv[i] = i % 7 == 3 ? 0 : tw.nextDouble() / batch; // some padding
        }
        Pair weights = tw.of(wv, m, batch), perExample = tw.zeros(m, batch, 3), loss = tw.zeros(m, 1);
        both(tw, (be, a) -> be.crossEntropyForward(a[0], a[1], a[2], a[3], a[4]), logits, labels, weights, perExample, loss);
        assertClose("crossEntropyForward", "perExample", perExample, 1e-6, 1e-6);
        assertClose("crossEntropyForward", "loss", loss, 1e-6, 1e-6);
        Pair dLogits = tw.random(1e-3, m, batch, vocab);
        both(tw, (be, a) -> be.crossEntropyBackward(a[0], a[1], a[2], a[3]), logits, labels, weights, dLogits);
        assertClose("crossEntropyBackward", "dLogits", dLogits, 1e-8, 1e-6);
        tw.cpu.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parameterNorms(Case c) {
        Twins tw = c.twins(15);
        int m = c.models(), p = c.s().f() * c.s().d() + 29;
        Pair params = tw.random(1, m, p), out = tw.zeros(m, 4, 2);
        int[] offsets = {0, 7, 7, c.s().d() + 7, p}; // an empty stretch, a short one, the rest
        Pair at = new Pair(tw.ref.ints(polygrok.tensor.Shape.of(1, 5), offsets), tw.cpu.ints(polygrok.tensor.Shape.of(1, 5), offsets));
        both(tw, (be, a) -> be.parameterNorms(a[0], a[1], a[2]), params, at, out);
        // float64 sums on both sides; the cpu result is stored in float32
        assertClose("parameterNorms", "out", out, 0, 1e-7);
        tw.cpu.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void adamwAndPenalty(Case c) {
        Twins tw = c.twins(14);
        int m = c.models(), p = 3 * c.s().f() * c.s().d() / 2 + 17;
        Pair params = tw.random(1, m, p), mom1 = tw.zeros(m, p), mom2 = tw.zeros(m, p);
        double[] mask = new double[p];
        for (int j = 0; j < p; j++) {
            mask[j] = j % 11 == 5 ? 0 : 1; // some frozen entries
        }
        double[] lrs = new double[m], wds = new double[m];
        for (int i = 0; i < m; i++) {
            lrs[i] = 1e-3 * (i + 1);
            wds[i] = 1.0 / (i + 1);
        }
        Pair trainable = tw.of(mask, 1, p), lr = tw.of(lrs, m, 1), wd = tw.of(wds, m, 1), step = tw.zeros(m, 1);
        for (int it = 0; it < 3; it++) {
            Pair grads = tw.random(1e-2, m, p), penalty = tw.zeros(m, 1);
            double power = it == 0 ? 2 : 1.5;
            both(tw, (be, a) -> be.lpPenalty(a[0], a[1], power, 1e-3, a[2], a[3]), params, trainable, grads, penalty);
            assertClose("lpPenalty(p=" + power + ")", "grads", grads, 1e-7, 1e-5);
            assertClose("lpPenalty(p=" + power + ")", "penalty", penalty, 1e-7, 1e-5);
            both(tw, (be, a) -> be.adamwStep(a[0], a[1], a[2], a[3],
                    new AdamWSettings(a[4], a[5], a[6], a[7], 0.9, 0.98, 1e-8)), params, grads, mom1, mom2, lr, wd, step, trainable);
            String op = "adamwStep(step " + (it + 1) + ")";
            assertClose(op, "params", params, 1e-6, 1e-6);
            assertClose(op, "m", mom1, 1e-9, 1e-6);
            assertClose(op, "v", mom2, 1e-12, 1e-6);
            assertClose(op, "step", step, 0, 0);
        }
        tw.cpu.close();
    }

    /** Runs the same call on the reference tensors, then on the cpu tensors. */
    private static void both(Twins tw, Call call, Pair... args) {
        polygrok.tensor.Tensor[] r = new polygrok.tensor.Tensor[args.length];
        polygrok.tensor.Tensor[] c = new polygrok.tensor.Tensor[args.length];
        for (int i = 0; i < args.length; i++) {
            r[i] = args[i].ref();
            c[i] = args[i].cpu();
        }
        call.run(tw.ref, r);
        call.run(tw.cpu, c);
    }

    @FunctionalInterface
    private interface Call {
        void run(polygrok.backend.Backend backend, polygrok.tensor.Tensor[] args);
    }
}
