package polygrok.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import polygrok.backend.Activation;
import polygrok.backend.AdamWSettings;
import polygrok.backend.AttentionSaved;
import polygrok.backend.WeightLayout;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.tensor.Shape;

/**
 * Every Backend op of the cuda backend, forward and backward, against the float64 reference on seeded
 * random inputs: M = 3 models, weights as strided views into parameter blocks (the gaps must stay
 * untouched), sizes that do not divide the 32-, 64- and 128-wide GEMM tiles, lastOnly true and false, ReLU and GELU.
 * Gradients start from random values so that accumulation (+=) is checked, not just assignment.
 * Skipped, with the probe's reason, where there is no usable GPU.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CudaConformanceTest {
    /** float32 against float64: relative 1e-4, plus 2e-5 of the tensor's largest magnitude. */
    static final double RTOL = 1e-4;
    static final double ATOL = 2e-5;

    static final int M = 3, B = 5, D = 20, H = 3, DH = 7, HD = H * DH, F = 45, V = 23;

    private CudaBackend cuda;
    private BackendPair t;

    @BeforeAll
    void open() {
        if (CudaProbe.whyUnavailable().isEmpty()) {
            cuda = new CudaBackend();
            t = new BackendPair(new CpuRefBackend(), cuda, 20240601L);
        }
    }

    /** Per test, so that every skipped test carries the reason. */
    @BeforeEach
    void needGpu() {
        Assumptions.assumeTrue(cuda != null, () -> "no usable GPU: " + CudaProbe.whyUnavailable().orElse(""));
    }

    @AfterAll
    void close() {
        if (cuda != null) {
            cuda.close();
        }
    }

    private void check(String op, String tensor, BackendPair.Pair p) {
        t.check(op, tensor, p, ATOL, RTOL);
    }

    private static Shape s(int... dims) {
        return Shape.of(dims);
    }

    // ---- memory and elementwise ---------------------------------------------------------------

    @Test
    void uploadAndReadBackAStridedView() {
        BackendPair.Pair block = t.random(s(M, 50), 1);
        BackendPair.Pair v = BackendPair.view(block, 7, s(M, 4, 5));
        double[] values = t.values(M * 20, 2);
        t.ref.upload(v.ref(), values);
        t.gpu.upload(v.gpu(), values);
        check("upload", "strided view", v);
        check("upload", "whole block (gaps untouched)", block);
        int[] ints = t.randomInts(M * 6, 100);
        assertArrayEquals(ints, t.gpu.toInts(t.gpu.ints(s(M, 2, 3), ints)), "ints/toInts round trip");
    }

    @Test
    void fillCopyAddOnStridedViews() {
        BackendPair.Pair block = t.random(s(M, 40), 1);
        BackendPair.Pair v = BackendPair.view(block, 3, s(M, 3, 9));
        BackendPair.Pair a = t.random(s(M, 3, 9), 1), b = t.random(s(M, 3, 9), 1), out = t.zeros(s(M, 3, 9));
        t.ref.add(a.ref(), b.ref(), out.ref());
        t.gpu.add(a.gpu(), b.gpu(), out.gpu());
        check("add", "out", out);
        t.ref.add(a.ref(), b.ref(), a.ref());
        t.gpu.add(a.gpu(), b.gpu(), a.gpu());
        check("add", "out aliasing a", a);
        t.ref.addInto(a.ref(), v.ref());
        t.gpu.addInto(a.gpu(), v.gpu());
        check("addInto", "strided dst block", block);
        t.ref.copy(b.ref(), v.ref());
        t.gpu.copy(b.gpu(), v.gpu());
        check("copy", "strided dst block", block);
        t.ref.fill(v.ref(), -1.5);
        t.gpu.fill(v.gpu(), -1.5);
        check("fill", "strided block", block);
    }

    // ---- embedding ----------------------------------------------------------------------------

    @Test
    void embeddingAndPositions() {
        int tt = 3;
        BackendPair.Pair block = t.random(s(M, D * V + 11), 1);
        BackendPair.Pair wE = BackendPair.view(block, 5, s(M, D, V));
        int[] tokens = t.randomInts(M * B * tt, V);
        tokens[0] = tokens[1] = tokens[2] = 4; // repeated tokens collide in the scatter-add
        BackendPair.Pair tok = t.ints(s(M, B, tt), tokens);
        BackendPair.Pair out = t.zeros(s(M, B, tt, D));
        t.ref.embedForward(wE.ref(), tok.ref(), out.ref());
        t.gpu.embedForward(wE.gpu(), tok.gpu(), out.gpu());
        check("embedForward", "out", out);

        BackendPair.Pair gBlock = t.random(s(M, D * V + 11), 1);
        BackendPair.Pair dWE = BackendPair.view(gBlock, 5, s(M, D, V));
        BackendPair.Pair dOut = t.random(s(M, B, tt, D), 1);
        t.ref.embedBackward(dOut.ref(), tok.ref(), dWE.ref());
        t.gpu.embedBackward(dOut.gpu(), tok.gpu(), dWE.gpu());
        check("embedBackward", "dW_E block", gBlock);

        BackendPair.Pair wPos = t.random(s(M, 5, D), 1);
        t.ref.positionalForward(wPos.ref(), out.ref());
        t.gpu.positionalForward(wPos.gpu(), out.gpu());
        check("positionalForward", "x", out);
        BackendPair.Pair dPos = t.random(s(M, 5, D), 1);
        t.ref.positionalBackward(dOut.ref(), dPos.ref());
        t.gpu.positionalBackward(dOut.gpu(), dPos.gpu());
        check("positionalBackward", "dW_pos", dPos);
    }

    // ---- attention ----------------------------------------------------------------------------

    @ParameterizedTest(name = "T={0} lastOnly={1}")
    @CsvSource({"3,false", "3,true", "5,false", "5,true", "1,false"})
    void attentionForwardAndBackward(int tt, boolean lastOnly) {
        int tq = lastOnly ? 1 : tt, w = HD * D, p = 4 * w + 13;
        BackendPair.Pair params = t.random(s(M, p), 0.4);
        BackendPair.Pair wQ = BackendPair.view(params, 0, s(M, H, DH, D));
        BackendPair.Pair wK = BackendPair.view(params, w, s(M, H, DH, D));
        BackendPair.Pair wV = BackendPair.view(params, 2 * w, s(M, H, DH, D));
        BackendPair.Pair wO = BackendPair.view(params, 3 * w + 13, s(M, D, HD));
        BackendPair.Pair x = t.random(s(M, B, tt, D), 1);
        BackendPair.Pair q = t.zeros(s(M, B, tq, H, DH)), k = t.zeros(s(M, B, tt, H, DH)), v = t.zeros(s(M, B, tt, H, DH));
        BackendPair.Pair pattern = t.random(s(M, B, H, tq, tt), 1), z = t.zeros(s(M, B, tq, HD));
        BackendPair.Pair out = t.random(s(M, B, tq, D), 1);
        AttentionSaved sr = new AttentionSaved(q.ref(), k.ref(), v.ref(), pattern.ref(), z.ref());
        AttentionSaved sg = new AttentionSaved(q.gpu(), k.gpu(), v.gpu(), pattern.gpu(), z.gpu());
        t.ref.attentionForward(x.ref(), wQ.ref(), wK.ref(), wV.ref(), wO.ref(), lastOnly, sr, out.ref());
        t.gpu.attentionForward(x.gpu(), wQ.gpu(), wK.gpu(), wV.gpu(), wO.gpu(), lastOnly, sg, out.gpu());
        String op = "attentionForward(T=" + tt + ", lastOnly=" + lastOnly + ")";
        check(op, "saved.q", q);
        check(op, "saved.k", k);
        check(op, "saved.v", v);
        check(op, "saved.pattern", pattern);
        check(op, "saved.z", z);
        check(op, "out", out);

        BackendPair.Pair grads = t.random(s(M, p), 0.1);
        BackendPair.Pair dWQ = BackendPair.view(grads, 0, s(M, H, DH, D));
        BackendPair.Pair dWK = BackendPair.view(grads, w, s(M, H, DH, D));
        BackendPair.Pair dWV = BackendPair.view(grads, 2 * w, s(M, H, DH, D));
        BackendPair.Pair dWO = BackendPair.view(grads, 3 * w + 13, s(M, D, HD));
        BackendPair.Pair dOut = t.random(s(M, B, tq, D), 1), dX = t.random(s(M, B, tt, D), 0.1);
        t.ref.attentionBackward(x.ref(), wQ.ref(), wK.ref(), wV.ref(), wO.ref(), lastOnly, sr, dOut.ref(),
                dX.ref(), dWQ.ref(), dWK.ref(), dWV.ref(), dWO.ref());
        t.gpu.attentionBackward(x.gpu(), wQ.gpu(), wK.gpu(), wV.gpu(), wO.gpu(), lastOnly, sg, dOut.gpu(),
                dX.gpu(), dWQ.gpu(), dWK.gpu(), dWV.gpu(), dWO.gpu());
        op = "attentionBackward(T=" + tt + ", lastOnly=" + lastOnly + ")";
        check(op, "dX", dX);
        check(op, "dW_Q", dWQ);
        check(op, "dW_K", dWK);
        check(op, "dW_V", dWV);
        check(op, "dW_O", dWO);
        check(op, "gradient block (gaps untouched)", grads);
    }

    @ParameterizedTest(name = "T={0} lastOnly={1}")
    @CsvSource({"3,false", "3,true", "5,true", "1,false"})
    void attentionCoreForwardAndBackward(int tt, boolean lastOnly) {
        int tq = lastOnly ? 1 : tt;
        BackendPair.Pair params = t.random(s(M, D * HD + 7), 0.4);
        BackendPair.Pair wO = BackendPair.view(params, 7, s(M, D, HD));
        BackendPair.Pair q = t.random(s(M, B, tq, H, DH), 1), k = t.random(s(M, B, tt, H, DH), 1);
        BackendPair.Pair v = t.random(s(M, B, tt, H, DH), 1);
        BackendPair.Pair pattern = t.random(s(M, B, H, tq, tt), 1), z = t.zeros(s(M, B, tq, HD));
        BackendPair.Pair out = t.random(s(M, B, tq, D), 1);
        AttentionSaved sr = new AttentionSaved(q.ref(), k.ref(), v.ref(), pattern.ref(), z.ref());
        AttentionSaved sg = new AttentionSaved(q.gpu(), k.gpu(), v.gpu(), pattern.gpu(), z.gpu());
        t.ref.attentionCoreForward(wO.ref(), lastOnly, sr, out.ref());
        t.gpu.attentionCoreForward(wO.gpu(), lastOnly, sg, out.gpu());
        String op = "attentionCoreForward(T=" + tt + ", lastOnly=" + lastOnly + ")";
        check(op, "saved.pattern", pattern);
        check(op, "saved.z", z);
        check(op, "out", out);

        // gradients start non-zero: the backward must add into them
        BackendPair.Pair grads = t.random(s(M, D * HD + 7), 0.1);
        BackendPair.Pair dWO = BackendPair.view(grads, 7, s(M, D, HD));
        BackendPair.Pair dOut = t.random(s(M, B, tq, D), 1), dQ = t.random(s(M, B, tq, H, DH), 0.1);
        BackendPair.Pair dK = t.random(s(M, B, tt, H, DH), 0.1), dV = t.random(s(M, B, tt, H, DH), 0.1);
        t.ref.attentionCoreBackward(wO.ref(), lastOnly, sr, dOut.ref(), dQ.ref(), dK.ref(), dV.ref(), dWO.ref());
        t.gpu.attentionCoreBackward(wO.gpu(), lastOnly, sg, dOut.gpu(), dQ.gpu(), dK.gpu(), dV.gpu(), dWO.gpu());
        op = "attentionCoreBackward(T=" + tt + ", lastOnly=" + lastOnly + ")";
        check(op, "dQ", dQ);
        check(op, "dK", dK);
        check(op, "dV", dV);
        check(op, "gradient block (gaps untouched)", grads);
    }

    // ---- MLP, linear, activations -------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Activation.class)
    void mlpForwardAndBackward(Activation act) {
        int n = B * 3, p = 2 * F * D + 9;
        BackendPair.Pair params = t.random(s(M, p), 0.3);
        BackendPair.Pair wIn = BackendPair.view(params, 0, s(M, F, D));
        BackendPair.Pair wOut = BackendPair.view(params, F * D + 9, s(M, D, F));
        BackendPair.Pair x = t.random(s(M, n, D), 1), pre = t.zeros(s(M, n, F)), out = t.zeros(s(M, n, D));
        t.ref.mlpForward(x.ref(), wIn.ref(), wOut.ref(), act, pre.ref(), out.ref());
        t.gpu.mlpForward(x.gpu(), wIn.gpu(), wOut.gpu(), act, pre.gpu(), out.gpu());
        check("mlpForward(" + act + ")", "pre", pre);
        check("mlpForward(" + act + ")", "out", out);
        BackendPair.Pair grads = t.random(s(M, p), 0.1);
        BackendPair.Pair dWIn = BackendPair.view(grads, 0, s(M, F, D));
        BackendPair.Pair dWOut = BackendPair.view(grads, F * D + 9, s(M, D, F));
        BackendPair.Pair dOut = t.random(s(M, n, D), 1), dX = t.random(s(M, n, D), 0.1);
        t.ref.mlpBackward(x.ref(), wIn.ref(), wOut.ref(), act, pre.ref(), dOut.ref(), dX.ref(), dWIn.ref(), dWOut.ref());
        t.gpu.mlpBackward(x.gpu(), wIn.gpu(), wOut.gpu(), act, pre.gpu(), dOut.gpu(), dX.gpu(), dWIn.gpu(), dWOut.gpu());
        check("mlpBackward(" + act + ")", "dX", dX);
        check("mlpBackward(" + act + ")", "dW_in", dWIn);
        check("mlpBackward(" + act + ")", "dW_out", dWOut);
        check("mlpBackward(" + act + ")", "gradient block (gaps untouched)", grads);
    }

    /**
     * Sizes crossing the GEMM tiles on every axis (N 70, In 67, Out 130: these small products take the
     * 32-wide sgemm_small), tiny ones, N 1500 with a small weight, whose weight gradient takes the split-K
     * path of our GEMM (11 splits of the 32-wide kernel), and N 2900 whose forward (2900 x 260, 207 tiles
     * of 128 for M = 3) and dX (2900 x 130, 138 tiles) take the 128-wide sgemm_big, crossing its tiles on
     * every axis, while dW (K 2900) takes the 64-wide kernel split 5 ways.
     */
    @ParameterizedTest(name = "{0} n={1} in={2} out={3}")
    @CsvSource({"OUT_IN,70,67,130", "IN_OUT,70,67,130", "OUT_IN,1,1,1", "IN_OUT,3,5,2", "OUT_IN,1500,40,30", "IN_OUT,1500,40,30",
            "OUT_IN,2900,130,260", "IN_OUT,2900,130,260"})
    void linearForwardAndBackward(WeightLayout layout, int n, int in, int out) {
        linearCase(t, layout, n, in, out, "");
    }

    /**
     * A linear layer whose every product OwnGemm.plan gives the 32-wide sgemm_small (no tile fills a wave
     * of 132 blocks for M = 3, and the 32-wide one gives the most), its weight gradient (K = N = 300)
     * split in two: the plan is asserted first, so the case keeps testing that kernel if the plan changes.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(WeightLayout.class)
    void linearOnTheSmallTiles(WeightLayout layout) {
        assertEquals(new GemmPlan(OwnGemm.SMALL_KERNEL, 32, 1), OwnGemm.plan(300, 100, 40, M), "forward y 300x100, K 40");
        assertEquals(new GemmPlan(OwnGemm.SMALL_KERNEL, 32, 1), OwnGemm.plan(300, 40, 100, M), "dX 300x40, K 100");
        assertEquals(new GemmPlan(OwnGemm.SMALL_KERNEL, 32, 2), OwnGemm.plan(100, 40, 300, M), "dW 100x40, K 300");
        assertEquals(new GemmPlan(OwnGemm.SMALL_KERNEL, 32, 2), OwnGemm.plan(40, 100, 300, M), "dW 40x100, K 300");
        linearCase(t, layout, 300, 40, 100, "[small tiles]");
    }

    private void linearCase(BackendPair pair, WeightLayout layout, int n, int in, int out, String tag) {
        Shape ws = layout == WeightLayout.OUT_IN ? s(M, out, in) : s(M, in, out);
        BackendPair.Pair params = pair.random(s(M, in * out + 17), 0.3);
        BackendPair.Pair w = BackendPair.view(params, 17, ws);
        BackendPair.Pair x = pair.random(s(M, n, in), 1), y = pair.random(s(M, n, out), 1);
        String op = "linear" + tag + "(" + layout + ", " + n + "x" + in + "->" + out + ")";
        pair.ref.linearForward(x.ref(), w.ref(), layout, y.ref());
        pair.gpu.linearForward(x.gpu(), w.gpu(), layout, y.gpu());
        pair.check(op + " forward", "y", y, ATOL, RTOL);
        BackendPair.Pair grads = pair.random(s(M, in * out + 17), 0.1);
        BackendPair.Pair dW = BackendPair.view(grads, 17, ws);
        BackendPair.Pair dY = pair.random(s(M, n, out), 1), dX = pair.random(s(M, n, in), 0.1);
        pair.ref.linearBackward(x.ref(), w.ref(), layout, dY.ref(), dX.ref(), dW.ref());
        pair.gpu.linearBackward(x.gpu(), w.gpu(), layout, dY.gpu(), dX.gpu(), dW.gpu());
        pair.check(op + " backward", "dX", dX, ATOL, RTOL);
        pair.check(op + " backward", "dW block (gaps untouched)", grads, ATOL, RTOL);
    }

    /** A second cuda backend whose GEMM is chosen by -Dpolygrok.cuda.gemm={@code choice}; the property is restored. */
    private static CudaBackend backendWithGemm(String choice) {
        String before = System.getProperty(CudaBackend.GEMM_PROPERTY);
        System.setProperty(CudaBackend.GEMM_PROPERTY, choice);
        try {
            return new CudaBackend();
        } finally {
            if (before == null) {
                System.clearProperty(CudaBackend.GEMM_PROPERTY);
            } else {
                System.setProperty(CudaBackend.GEMM_PROPERTY, before);
            }
        }
    }

    /** cuBLAS, where it loads, must agree with the reference as our GEMM does. */
    @Test
    void cublasGemmWhereAvailable() {
        try (CudaBackend b = backendWithGemm("auto")) {
            Assumptions.assumeTrue(b.gemmName().equals("cublas"), "cuBLAS does not load here (JCublas needs libcublas.so.12)");
            BackendPair pair = new BackendPair(new CpuRefBackend(), b, 7L);
            linearCase(pair, WeightLayout.OUT_IN, 70, 67, 130, "[cublas]");
            linearCase(pair, WeightLayout.IN_OUT, 70, 67, 130, "[cublas]");
        }
    }

    /**
     * The tensor-core GEMM (-Dpolygrok.cuda.gemm=tf32x3) under the float32 tolerances: the products that
     * take 128-wide tiles (N 2900 forward and dX; the MLP of 2900 rows, F 512), plus a small and a split-K
     * case that keep the SIMT kernels, checked again in the same backend.
     */
    @Test
    void tensorCoreGemm() {
        try (CudaBackend b = backendWithGemm("tf32x3")) {
            assertEquals("own-tf32x3", b.gemmName());
            assertEquals(OwnGemm.BIG_KERNEL, OwnGemm.plan(2900, 260, 130, M).kernel(), "the forward takes 128-wide tiles");
            BackendPair pair = new BackendPair(new CpuRefBackend(), b, 11L);
            for (WeightLayout layout : WeightLayout.values()) {
                linearCase(pair, layout, 2900, 130, 260, "[tf32x3]");
                linearCase(pair, layout, 70, 67, 130, "[tf32x3, small tiles]");
                linearCase(pair, layout, 1500, 40, 30, "[tf32x3, split K]");
            }
            int n = 2900, d = 128, f = 512, p = 2 * f * d + 9;
            BackendPair.Pair params = pair.random(s(M, p), 0.3);
            BackendPair.Pair wIn = BackendPair.view(params, 0, s(M, f, d)), wOut = BackendPair.view(params, f * d + 9, s(M, d, f));
            BackendPair.Pair x = pair.random(s(M, n, d), 1), pre = pair.zeros(s(M, n, f)), out = pair.zeros(s(M, n, d));
            pair.ref.mlpForward(x.ref(), wIn.ref(), wOut.ref(), Activation.RELU, pre.ref(), out.ref());
            pair.gpu.mlpForward(x.gpu(), wIn.gpu(), wOut.gpu(), Activation.RELU, pre.gpu(), out.gpu());
            pair.check("mlpForward[tf32x3]", "pre", pre, ATOL, RTOL);
            pair.check("mlpForward[tf32x3]", "out", out, ATOL, RTOL);
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void activationForwardAndBackward(Activation act) {
        BackendPair.Pair x = t.random(s(M, 7, 33), 3), out = t.zeros(s(M, 7, 33));
        t.ref.activationForward(act, x.ref(), out.ref());
        t.gpu.activationForward(act, x.gpu(), out.gpu());
        check("activationForward(" + act + ")", "out", out);
        BackendPair.Pair dOut = t.random(s(M, 7, 33), 1), dX = t.random(s(M, 7, 33), 1);
        t.ref.activationBackward(act, x.ref(), dOut.ref(), dX.ref());
        t.gpu.activationBackward(act, x.gpu(), dOut.gpu(), dX.gpu());
        check("activationBackward(" + act + ")", "dX", dX);
    }

    @Test
    void layerNormForwardAndBackward() {
        int n = 9, d = 37;
        BackendPair.Pair params = t.random(s(M, 2 * d + 3), 1);
        BackendPair.Pair w = BackendPair.view(params, 0, s(M, d)), b = BackendPair.view(params, d + 3, s(M, d));
        BackendPair.Pair x = t.random(s(M, n, d), 2), mean = t.zeros(s(M, n)), rstd = t.zeros(s(M, n)), out = t.zeros(s(M, n, d));
        t.ref.layerNormForward(x.ref(), w.ref(), b.ref(), 1e-5, mean.ref(), rstd.ref(), out.ref());
        t.gpu.layerNormForward(x.gpu(), w.gpu(), b.gpu(), 1e-5, mean.gpu(), rstd.gpu(), out.gpu());
        check("layerNormForward", "mean", mean);
        check("layerNormForward", "rstd", rstd);
        check("layerNormForward", "out", out);
        BackendPair.Pair grads = t.random(s(M, 2 * d + 3), 0.1);
        BackendPair.Pair dW = BackendPair.view(grads, 0, s(M, d)), dB = BackendPair.view(grads, d + 3, s(M, d));
        BackendPair.Pair dOut = t.random(s(M, n, d), 1), dX = t.random(s(M, n, d), 0.1);
        t.ref.layerNormBackward(x.ref(), w.ref(), mean.ref(), rstd.ref(), dOut.ref(), dX.ref(), dW.ref(), dB.ref());
        t.gpu.layerNormBackward(x.gpu(), w.gpu(), mean.gpu(), rstd.gpu(), dOut.gpu(), dX.gpu(), dW.gpu(), dB.gpu());
        check("layerNormBackward", "dX", dX);
        check("layerNormBackward", "dW/dB block (gaps untouched)", grads);
    }

    // ---- positions ----------------------------------------------------------------------------

    @Test
    void lastPositionAndSumPositions() {
        int tt = 5;
        BackendPair.Pair x = t.random(s(M, B, tt, D), 1), last = t.zeros(s(M, B, 1, D)), sum = t.zeros(s(M, B, D));
        t.ref.lastPositionForward(x.ref(), last.ref());
        t.gpu.lastPositionForward(x.gpu(), last.gpu());
        check("lastPositionForward", "out", last);
        t.ref.sumPositionsForward(x.ref(), sum.ref());
        t.gpu.sumPositionsForward(x.gpu(), sum.gpu());
        check("sumPositionsForward", "out", sum);
        BackendPair.Pair dLast = t.random(s(M, B, 1, D), 1), dSum = t.random(s(M, B, D), 1), dX = t.random(s(M, B, tt, D), 1);
        t.ref.lastPositionBackward(dLast.ref(), dX.ref());
        t.gpu.lastPositionBackward(dLast.gpu(), dX.gpu());
        check("lastPositionBackward", "dX", dX);
        t.ref.sumPositionsBackward(dSum.ref(), dX.ref());
        t.gpu.sumPositionsBackward(dSum.gpu(), dX.gpu());
        check("sumPositionsBackward", "dX", dX);
    }

    // ---- loss and optimisation ----------------------------------------------------------------

    @Test
    void crossEntropyForwardAndBackward() {
        int batch = 37, vocab = 103;
        double[] logits = t.values(M * batch * vocab, 4);
        for (int c = 0; c < vocab; c++) {
            logits[c] = c % 2 == 0 ? 1.0 : 0.5; // row 0 of model 0: ties, the first maximum must win
        }
        BackendPair.Pair z = t.of(s(M, batch, vocab), logits);
        int[] labels = t.randomInts(M * batch, vocab);
        labels[0] = 0;
        BackendPair.Pair y = t.ints(s(M, batch), labels);
        BackendPair.Pair w = t.random(s(M, batch), 1.0 / batch);
        BackendPair.Pair perExample = t.zeros(s(M, batch, 3)), loss = t.zeros(s(M, 1));
        t.ref.crossEntropyForward(z.ref(), y.ref(), w.ref(), perExample.ref(), loss.ref());
        t.gpu.crossEntropyForward(z.gpu(), y.gpu(), w.gpu(), perExample.gpu(), loss.gpu());
        check("crossEntropyForward", "perExample", perExample);
        check("crossEntropyForward", "loss", loss);
        BackendPair.Pair dZ = t.random(s(M, batch, vocab), 0.01);
        t.ref.crossEntropyBackward(z.ref(), y.ref(), w.ref(), dZ.ref());
        t.gpu.crossEntropyBackward(z.gpu(), y.gpu(), w.gpu(), dZ.gpu());
        check("crossEntropyBackward", "dLogits", dZ);
    }

    @ParameterizedTest
    @CsvSource({"2.0,0.01", "1.0,0.001"})
    void lpPenalty(double power, double alpha) {
        int p = 300;
        BackendPair.Pair w = t.random(s(M, p), 1), g = t.random(s(M, p), 0.1), pen = t.zeros(s(M, 1));
        double[] mask = new double[p];
        for (int j = 0; j < p; j++) {
            mask[j] = j % 7 == 3 ? 0 : 1;
        }
        BackendPair.Pair trainable = t.of(s(1, p), mask);
        t.ref.lpPenalty(w.ref(), trainable.ref(), power, alpha, g.ref(), pen.ref());
        t.gpu.lpPenalty(w.gpu(), trainable.gpu(), power, alpha, g.gpu(), pen.gpu());
        check("lpPenalty(p=" + power + ")", "penalty", pen);
        check("lpPenalty(p=" + power + ")", "grads", g);
    }

    @Test
    void parameterNorms() {
        int p = 1300;
        BackendPair.Pair w = t.random(s(M, p), 1), out = t.zeros(s(M, 4, 2));
        BackendPair.Pair offsets = t.ints(s(1, 5), new int[]{0, 7, 7, 300, p}); // an empty stretch, a short one, longer ones
        t.ref.parameterNorms(w.ref(), offsets.ref(), out.ref());
        t.gpu.parameterNorms(w.gpu(), offsets.gpu(), out.gpu());
        check("parameterNorms", "out", out);
    }

    @Test
    void adamwSteps() {
        int p = 301;
        BackendPair.Pair w = t.random(s(M, p), 1), m1 = t.zeros(s(M, p)), m2 = t.zeros(s(M, p));
        double[] mask = new double[p];
        for (int j = 0; j < p; j++) {
            mask[j] = j % 5 == 1 ? 0 : 1;
        }
        BackendPair.Pair trainable = t.of(s(1, p), mask);
        BackendPair.Pair lr = t.of(s(M, 1), new double[]{1e-3, 3e-3, 1e-2});
        BackendPair.Pair wd = t.of(s(M, 1), new double[]{1.0, 0.0, 0.1});
        BackendPair.Pair step = t.of(s(M, 1), new double[]{0, 5, 100});
        AdamWSettings sr = new AdamWSettings(lr.ref(), wd.ref(), step.ref(), trainable.ref(), 0.9, 0.98, 1e-8);
        AdamWSettings sg = new AdamWSettings(lr.gpu(), wd.gpu(), step.gpu(), trainable.gpu(), 0.9, 0.98, 1e-8);
        for (int i = 0; i < 3; i++) {
            BackendPair.Pair g = t.random(s(M, p), 0.5);
            t.ref.adamwStep(w.ref(), g.ref(), m1.ref(), m2.ref(), sr);
            t.gpu.adamwStep(w.gpu(), g.gpu(), m1.gpu(), m2.gpu(), sg);
            check("adamwStep " + (i + 1), "params", w);
            check("adamwStep " + (i + 1), "m", m1);
            check("adamwStep " + (i + 1), "v", m2);
            check("adamwStep " + (i + 1), "step", step);
        }
    }
}
