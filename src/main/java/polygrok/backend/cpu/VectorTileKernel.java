package polygrok.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The tile kernel on the JDK's Vector API: a 6 x (2 vectors) block of C lives in twelve registers
 * while kc steps each broadcast six values of A and fuse-multiply-add them with two vectors of B.
 * With 16 float lanes (AVX-512) the tile is 6 x 32; twelve accumulators plus three operands leave
 * the register file room, so nothing spills.
 *
 * <p>Only loaded after the boot layer is known to hold jdk.incubator.vector (see {@link TileKernels}).
 */
final class VectorTileKernel implements TileKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = 6;
    private static final int NR = 2 * L;
    /** Edge tiles go through this per-thread buffer: masked stores are not fast on every JDK 17 build. */
    private static final ThreadLocal<float[]> EDGE = ThreadLocal.withInitial(() -> new float[NR]);

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void tile(float[] pa, int paOff, float[] pb, int pbOff, int kc,
                     float[] c, int cOff, int ldc, int rows, int cols, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        int oa = paOff, ob = pbOff;
        for (int kk = 0; kk < kc; kk++, oa += MR, ob += NR) {
            FloatVector b0 = FloatVector.fromArray(S, pb, ob);
            FloatVector b1 = FloatVector.fromArray(S, pb, ob + L);
            FloatVector a = FloatVector.broadcast(S, pa[oa]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, pa[oa + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, pa[oa + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, pa[oa + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, pa[oa + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, pa[oa + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
        }
        store(c00, c01, c, cOff, cols, add);
        if (rows > 1) {
            store(c10, c11, c, cOff + ldc, cols, add);
        }
        if (rows > 2) {
            store(c20, c21, c, cOff + 2 * ldc, cols, add);
        }
        if (rows > 3) {
            store(c30, c31, c, cOff + 3 * ldc, cols, add);
        }
        if (rows > 4) {
            store(c40, c41, c, cOff + 4 * ldc, cols, add);
        }
        if (rows > 5) {
            store(c50, c51, c, cOff + 5 * ldc, cols, add);
        }
    }

    private static void store(FloatVector x0, FloatVector x1, float[] c, int off, int cols, boolean add) {
        if (cols == NR) {
            if (add) {
                x0 = x0.add(FloatVector.fromArray(S, c, off));
                x1 = x1.add(FloatVector.fromArray(S, c, off + L));
            }
            x0.intoArray(c, off);
            x1.intoArray(c, off + L);
            return;
        }
        float[] edge = EDGE.get();
        x0.intoArray(edge, 0);
        x1.intoArray(edge, L);
        for (int j = 0; j < cols; j++) {
            c[off + j] = add ? c[off + j] + edge[j] : edge[j];
        }
    }

    @Override
    public String describe() {
        return "vector " + MR + "x" + NR + " (" + L + " float lanes)";
    }
}
