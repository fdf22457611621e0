package polygrok.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The GEMM against a float64 triple loop, with every operand transposed or not, sizes just past the
 * tile, panel, task and depth blocks, offsets and padded leading dimensions, and accumulation.
 */
class CpuGemmTest {
    private static final double ATOL = 1e-5, RTOL = 1e-5;

    @ParameterizedTest(name = "vector kernel = {0}")
    @ValueSource(booleans = {true, false})
    void matchesTripleLoopForEveryLayout(boolean vector) {
        try (WorkerPool pool = new WorkerPool(3)) {
            CpuGemm gemm = new CpuGemm(pool, TileKernels.choose(vector));
            // the last two: the MLP shape's ragged widths (200 leaves a column edge of at most one
            // vector, 113 one of more; 115 rows end in a one-row tile, 200 rows in a two-row tile)
            int[][] sizes = {{1, 1, 1}, {5, 7, 3}, {CpuGemm.MC + 1, 4 * 32 + 1, CpuGemm.KC + 1}, {7, 33, 2 * CpuGemm.KC + 3},
                    {115, 200, 113}, {200, 113, CpuGemm.KC + 90}};
            Random rnd = new Random(42);
            for (int[] s : sizes) {
                for (boolean ta : new boolean[]{false, true}) {
                    for (boolean tb : new boolean[]{false, true}) {
                        for (boolean acc : new boolean[]{false, true}) {
                            check(gemm, rnd, s[0], s[1], s[2], ta, tb, acc);
                        }
                    }
                }
            }
        }
    }

    private static void check(CpuGemm gemm, Random rnd, int m, int n, int k, boolean ta, boolean tb, boolean acc) {
        int aOff = 3, bOff = 5, cOff = 2, lda = (ta ? m : k) + 2, ldb = (tb ? k : n) + 1, ldc = n + 3;
        float[] a = random(rnd, aOff + (ta ? k : m) * lda), b = random(rnd, bOff + (tb ? n : k) * ldb);
        float[] c = random(rnd, cOff + m * ldc);
        float[] before = c.clone();
        gemm.multiply(m, n, k, a, aOff, ta ? 1 : lda, ta ? lda : 1, b, bOff, tb ? 1 : ldb, tb ? ldb : 1, c, cOff, ldc, acc);
        String op = String.format("gemm %dx%dx%d transA=%b transB=%b accumulate=%b", m, n, k, ta, tb, acc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < ldc; j++) {
                int ci = cOff + i * ldc + j;
                if (j >= n) {
                    assertEquals(before[ci], c[ci], op + ": C[" + i + "," + j + "] is past column n and must not change");
                    continue;
                }
                double s = acc ? before[ci] : 0;
                for (int kk = 0; kk < k; kk++) {
                    double av = a[aOff + (ta ? kk * lda + i : i * lda + kk)];
                    double bv = b[bOff + (tb ? j * ldb + kk : kk * ldb + j)];
                    s += av * bv;
                }
                if (!(Math.abs(c[ci] - s) <= ATOL * Math.sqrt(k) + RTOL * Math.abs(s))) {
                    fail(op + ": C[" + i + "," + j + "] = " + c[ci] + ", float64 loop " + s);
                }
            }
        }
        assertEquals(before[0], c[0], op + ": C before its offset changed");
    }

    @Test
    void zeroDepthOverwritesOrKeeps() {
        try (WorkerPool pool = new WorkerPool(1)) {
            CpuGemm gemm = new CpuGemm(pool, TileKernels.choose(true));
            float[] c = {1, 2, 3, 4};
            gemm.multiply(2, 2, 0, new float[0], 0, 0, 1, new float[0], 0, 0, 1, c, 0, 2, true);
            assertEquals(1f, c[0], "gemm k=0 accumulate: C[0] must keep its value");
            gemm.multiply(2, 2, 0, new float[0], 0, 0, 1, new float[0], 0, 0, 1, c, 0, 2, false);
            for (int i = 0; i < 4; i++) {
                assertEquals(0f, c[i], "gemm k=0 overwrite: C[" + i + "]");
            }
        }
    }

    /**
     * The vector kernel's sums in its own order: each element of C sums each k-block from +0 with a
     * fused multiply-add per step, then adds the block into C (into +0 for the first block when not
     * accumulating). Full tiles, one- and two-vector edge tiles and row edges must all
     * give exactly those bits, on 1 and 3 workers.
     */
    @ParameterizedTest(name = "workers = {0}")
    @ValueSource(ints = {1, 3})
    void everyTileOfTheVectorKernelGivesTheSameBits(int workers) {
        try (WorkerPool pool = new WorkerPool(workers)) {
            CpuGemm gemm = new CpuGemm(pool, TileKernels.choose(true));
            Random rnd = new Random(7);
            // n = 140, 41: two-vector edges of 12 and 9 columns past full panels; 96: no edge
            int[][] sizes = {{115, 200, 113}, {200, 113, CpuGemm.KC + 90}, {5, 17, 3}, {CpuGemm.MC + 7, 8, 40}, {61, 140, 37},
                    {13, 41, 70}, {50, 96, 20}};
            for (int[] s : sizes) {
                for (boolean ta : new boolean[]{false, true}) {
                    for (boolean acc : new boolean[]{false, true}) {
                        checkBits(gemm, rnd, s[0], s[1], s[2], ta, acc);
                    }
                }
            }
        }
    }

    private static void checkBits(CpuGemm gemm, Random rnd, int m, int n, int k, boolean ta, boolean acc) {
        int lda = ta ? m : k;
        float[] a = random(rnd, m * k), b = random(rnd, k * n), c = random(rnd, m * n);
        float[] want = c.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                for (int k0 = 0; k0 < k; k0 += CpuGemm.KC) {
                    float sum = 0f;
                    for (int kk = k0; kk < Math.min(k, k0 + CpuGemm.KC); kk++) {
                        sum = Math.fma(a[ta ? kk * lda + i : i * lda + kk], b[kk * n + j], sum);
                    }
                    want[i * n + j] = sum + (k0 == 0 && !acc ? 0f : want[i * n + j]);
                }
            }
        }
        gemm.multiply(m, n, k, a, 0, ta ? 1 : lda, ta ? lda : 1, b, 0, n, 1, c, 0, n, acc);
        for (int i = 0; i < m * n; i++) {
            if (Float.floatToIntBits(c[i]) != Float.floatToIntBits(want[i])) {
                fail(String.format("gemm %s %dx%dx%d transA=%b accumulate=%b: C[%d,%d] = %s, the kernel's order gives %s",
                        gemm.kernel().describe(), m, n, k, ta, acc, i / n, i % n, c[i], want[i]));
            }
        }
    }

    @Test
    void vectorKernelIsChosenWhenTheModuleIsPresent() {
        assertTrue(TileKernels.vectorModulePresent(),
                "the tests run with --add-modules jdk.incubator.vector (surefire argLine); without it the vector path goes untested");
        assertTrue(TileKernels.choose(true).describe().startsWith("vector"), TileKernels.choose(true).describe());
        assertTrue(TileKernels.choose(false).describe().startsWith("scalar"), TileKernels.choose(false).describe());
    }

    private static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (2 * rnd.nextDouble() - 1);
        }
        return x;
    }
}
