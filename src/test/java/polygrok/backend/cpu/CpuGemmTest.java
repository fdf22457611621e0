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
            int[][] sizes = {{1, 1, 1}, {5, 7, 3}, {CpuGemm.MC + 1, 4 * 32 + 1, CpuGemm.KC + 1}, {7, 33, 2 * CpuGemm.KC + 3}};
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
