package polygrok.backend.cpu;

import java.util.Arrays;

/**
 * The tile kernel in plain Java, for JVMs without the Vector API module (or with
 * -Dpolygrok.vector=false). The innermost loop runs over columns so that the JIT can still
 * vectorise it on its own.
 */
final class ScalarTileKernel implements TileKernel {
    static final int MR = 6;
    static final int NR = 32;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void tile(float[] a, int aOff, int aRs, int aCs, float[] pb, int pbOff, int kc, float[] c, int cOff, int ldc) {
        rows(MR, a, aOff, aRs, aCs, pb, pbOff, kc, c, cOff, ldc);
    }

    @Override
    public void tileStore(float[] a, int aOff, int aRs, int aCs, float[] pb, int pbOff, int kc, float[] c, int cOff, int ldc) {
        for (int i = 0; i < MR; i++) {
            Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + NR, 0f);
        }
        rows(MR, a, aOff, aRs, aCs, pb, pbOff, kc, c, cOff, ldc);
    }

    @Override
    public void edgeTile(float[] a, int aOff, int aRs, int aCs, int rows, int cols, float[] pb, int pbOff, int kc, float[] out) {
        Arrays.fill(out, 0, MR * NR, 0f);
        rows(rows, a, aOff, aRs, aCs, pb, pbOff, kc, out, 0, NR);
    }

    private static void rows(int rows, float[] a, int aOff, int aRs, int aCs, float[] pb, int pbOff, int kc, float[] c, int cOff, int ldc) {
        for (int i = 0; i < rows; i++) {
            int row = cOff + i * ldc;
            for (int kk = 0; kk < kc; kk++) {
                float av = a[aOff + i * aRs + kk * aCs];
                int bo = pbOff + kk * NR;
                for (int j = 0; j < NR; j++) {
                    c[row + j] += av * pb[bo + j];
                }
            }
        }
    }

    @Override
    public String describe() {
        return "scalar " + MR + "x" + NR;
    }
}
