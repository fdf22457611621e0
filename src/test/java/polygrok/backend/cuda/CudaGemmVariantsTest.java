package polygrok.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static polygrok.backend.conformance.Tolerances.sum;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import polygrok.backend.Activation;
import polygrok.backend.WeightLayout;
import polygrok.backend.conformance.LinearCase;
import polygrok.backend.conformance.Twin;
import polygrok.backend.conformance.TwinTensors;
import polygrok.backend.cpuref.CpuRefBackend;

/**
 * What only the cuda backend has, on top of the conformance suite (polygrok.backend.conformance), which
 * runs every op on the default GEMM: which tiles the GEMM plan picks for the suite's linear sizes, and
 * the cuBLAS and tensor-core (3xTF32) GEMMs under the suite's cases and tolerances.
 */
class CudaGemmVariantsTest {
    private static final int M = 3;

    /**
     * The suite's linear case 300x40->100 (M = 3) is there for the 32-wide sgemm_small: no tile fills a wave
     * of 132 blocks, and the 32-wide one gives the most; its weight gradient (K = 300) splits in two. The
     * 2900x130->260 case is there for the 128-wide tiles. Pinned here, without a GPU, so that a change of
     * the plan shows up before those cases quietly stop testing their kernels.
     */
    @Test
    void planOfTheSuitesLinearSizes() {
        assertEquals(new GemmPlan(OwnGemm.SMALL_KERNEL, 32, 1), OwnGemm.plan(300, 100, 40, M, PlannedGpu.MULTIPROCESSORS), "forward y 300x100, K 40");
        assertEquals(new GemmPlan(OwnGemm.SMALL_KERNEL, 32, 1), OwnGemm.plan(300, 40, 100, M, PlannedGpu.MULTIPROCESSORS), "dX 300x40, K 100");
        assertEquals(new GemmPlan(OwnGemm.SMALL_KERNEL, 32, 2), OwnGemm.plan(100, 40, 300, M, PlannedGpu.MULTIPROCESSORS), "dW 100x40, K 300");
        assertEquals(new GemmPlan(OwnGemm.SMALL_KERNEL, 32, 2), OwnGemm.plan(40, 100, 300, M, PlannedGpu.MULTIPROCESSORS), "dW 40x100, K 300");
        assertEquals(OwnGemm.BIG_KERNEL, OwnGemm.plan(2900, 260, 130, M, PlannedGpu.MULTIPROCESSORS).kernel(), "forward y 2900x260, K 130");
    }

    /** cuBLAS, where it loads, must agree with the reference as our GEMM does. */
    @Test
    void cublasGemmWhereAvailable() {
        needGpu();
        try (CudaBackend b = backendWithGemm("auto")) {
            Assumptions.assumeTrue(b.describe().get("gemm").equals("cublas"), "cuBLAS does not load here (JCublas needs libcublas.so.12)");
            TwinTensors tw = new TwinTensors(new CpuRefBackend(), b, "cuda (cublas)", 7);
            for (WeightLayout layout : WeightLayout.values()) {
                new LinearCase(layout, 70, 67, 130, M).check(tw, " [cublas]");
            }
        }
    }

    /**
     * The tensor-core GEMM (-Dpolygrok.cuda.gemm=tf32x3): the products that take 128-wide tiles (N 2900
     * forward and dX; an MLP of 2900 rows, F 512), plus a small and a split-K case that keep the SIMT
     * kernels, checked again in the same backend.
     */
    @Test
    void tensorCoreGemm() {
        needGpu();
        try (CudaBackend b = backendWithGemm("tf32x3")) {
            assertEquals("own-tf32x3", b.describe().get("gemm"));
            TwinTensors tw = new TwinTensors(new CpuRefBackend(), b, "cuda (tf32x3)", 11);
            for (WeightLayout layout : WeightLayout.values()) {
                new LinearCase(layout, 2900, 130, 260, M).check(tw, " [tf32x3]");
                new LinearCase(layout, 70, 67, 130, M).check(tw, " [tf32x3, small tiles]");
                new LinearCase(layout, 1500, 40, 30, M).check(tw, " [tf32x3, split K]");
            }
            int n = 2900, d = 128, f = 512;
            Twin[] w = tw.views(1 / Math.sqrt(d), new int[]{M, f, d}, new int[]{M, d, f});
            Twin x = tw.random(1, M, n, d), pre = tw.zeros(M, n, f), out = tw.zeros(M, n, d);
            tw.run((be, a) -> be.mlpForward(a[0], a[1], a[2], Activation.RELU, a[3], a[4]), x, w[0], w[1], pre, out);
            tw.check("mlpForward [tf32x3] N=2900 D=128 F=512", "pre", pre, sum(d));
            tw.check("mlpForward [tf32x3] N=2900 D=128 F=512", "out", out, sum(d + f));
        }
    }

    private static void needGpu() {
        Assumptions.assumeTrue(CudaProbe.whyUnavailable().isEmpty(), () -> "no usable GPU: " + CudaProbe.whyUnavailable().orElse(""));
    }

    /** A cuda backend whose GEMM is chosen by -Dpolygrok.cuda.gemm={@code choice}; the property is restored. */
    private static CudaBackend backendWithGemm(String choice) {
        String before = System.getProperty(GemmChoice.PROPERTY);
        System.setProperty(GemmChoice.PROPERTY, choice);
        try {
            return new CudaBackend();
        } finally {
            if (before == null) {
                System.clearProperty(GemmChoice.PROPERTY);
            } else {
                System.setProperty(GemmChoice.PROPERTY, before);
            }
        }
    }
}
