package polygrok.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The tile kernel on the JDK's Vector API: a 6 x (2 vectors) block of C lives in twelve registers
 * while kc steps each broadcast six values of A (read in place) and fuse-multiply-add them with two
 * vectors of packed B.
 * With 16 float lanes (AVX-512) the tile is 6 x 32; twelve accumulators plus three operands leave
 * the register file room, so nothing spills.
 *
 * <p>Edge tiles read A in place too: a missing row repeats the last real one (its sums are computed
 * and dropped), and an edge of at most one vector's columns runs a 6 x (1 vector) loop, half the
 * work (the MLP's width 200 leaves 8 columns past six panels of 32).
 *
 * <p>Only loaded after the boot layer is known to hold jdk.incubator.vector (see {@link TileKernels}).
 */
final class VectorTileKernel implements TileKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = 6;
    private static final int NR = 2 * L;

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
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        int a1 = aRs, a2 = 2 * aRs, a3 = 3 * aRs, a4 = 4 * aRs, a5 = 5 * aRs;
        int oa = aOff, ob = pbOff;
        for (int kk = 0; kk < kc; kk++, oa += aCs, ob += NR) {
            FloatVector b0 = FloatVector.fromArray(S, pb, ob);
            FloatVector b1 = FloatVector.fromArray(S, pb, ob + L);
            FloatVector av = FloatVector.broadcast(S, a[oa]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[oa + a1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[oa + a2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[oa + a3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[oa + a4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[oa + a5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        int o0 = cOff, o1 = o0 + ldc, o2 = o1 + ldc, o3 = o2 + ldc, o4 = o3 + ldc, o5 = o4 + ldc;
        c00 = c00.add(FloatVector.fromArray(S, c, o0));
        c01 = c01.add(FloatVector.fromArray(S, c, o0 + L));
        c10 = c10.add(FloatVector.fromArray(S, c, o1));
        c11 = c11.add(FloatVector.fromArray(S, c, o1 + L));
        c20 = c20.add(FloatVector.fromArray(S, c, o2));
        c21 = c21.add(FloatVector.fromArray(S, c, o2 + L));
        c30 = c30.add(FloatVector.fromArray(S, c, o3));
        c31 = c31.add(FloatVector.fromArray(S, c, o3 + L));
        c40 = c40.add(FloatVector.fromArray(S, c, o4));
        c41 = c41.add(FloatVector.fromArray(S, c, o4 + L));
        c50 = c50.add(FloatVector.fromArray(S, c, o5));
        c51 = c51.add(FloatVector.fromArray(S, c, o5 + L));
        c00.intoArray(c, o0);
        c01.intoArray(c, o0 + L);
        c10.intoArray(c, o1);
        c11.intoArray(c, o1 + L);
        c20.intoArray(c, o2);
        c21.intoArray(c, o2 + L);
        c30.intoArray(c, o3);
        c31.intoArray(c, o3 + L);
        c40.intoArray(c, o4);
        c41.intoArray(c, o4 + L);
        c50.intoArray(c, o5);
        c51.intoArray(c, o5 + L);
    }

    // tileStore is tile() with its ending changed, a method of its own for the reason below.
    @Override
    public void tileStore(float[] a, int aOff, int aRs, int aCs, float[] pb, int pbOff, int kc, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        int a1 = aRs, a2 = 2 * aRs, a3 = 3 * aRs, a4 = 4 * aRs, a5 = 5 * aRs;
        int oa = aOff, ob = pbOff;
        for (int kk = 0; kk < kc; kk++, oa += aCs, ob += NR) {
            FloatVector b0 = FloatVector.fromArray(S, pb, ob);
            FloatVector b1 = FloatVector.fromArray(S, pb, ob + L);
            FloatVector av = FloatVector.broadcast(S, a[oa]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[oa + a1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[oa + a2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[oa + a3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[oa + a4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[oa + a5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        // +0 + sum, as tile() gives on a zeroed C
        FloatVector zero = FloatVector.zero(S);
        int o0 = cOff, o1 = o0 + ldc, o2 = o1 + ldc, o3 = o2 + ldc, o4 = o3 + ldc, o5 = o4 + ldc;
        zero.add(c00).intoArray(c, o0);
        zero.add(c01).intoArray(c, o0 + L);
        zero.add(c10).intoArray(c, o1);
        zero.add(c11).intoArray(c, o1 + L);
        zero.add(c20).intoArray(c, o2);
        zero.add(c21).intoArray(c, o2 + L);
        zero.add(c30).intoArray(c, o3);
        zero.add(c31).intoArray(c, o3 + L);
        zero.add(c40).intoArray(c, o4);
        zero.add(c41).intoArray(c, o4 + L);
        zero.add(c50).intoArray(c, o5);
        zero.add(c51).intoArray(c, o5 + L);
    }

    @Override
    public void edgeTile(float[] a, int aOff, int aRs, int aCs, int rows, int cols, float[] pb, int pbOff, int kc, float[] out) {
        int last = rows - 1;
        int a1 = Math.min(1, last) * aRs, a2 = Math.min(2, last) * aRs, a3 = Math.min(3, last) * aRs;
        int a4 = Math.min(4, last) * aRs, a5 = Math.min(5, last) * aRs;
        if (cols <= L) {
            narrowStore(a, aOff, a1, a2, a3, a4, a5, aCs, pb, pbOff, kc, out);
        } else {
            wideStore(a, aOff, a1, a2, a3, a4, a5, aCs, pb, pbOff, kc, out, 0, NR);
        }
    }

    // The edge kernels are methods of their own, and tile() is left exactly as it was: routing the full
    // tiles through a kernel shared with the edges (rows as offsets, an add-or-store flag) ran them
    // about 20% slower (measured on the paper configuration's MLP products), and a flag between add and store made C2 recompile
    // the shared kernel as each side first came, running it unintrinsified meanwhile.

    /** The 6 x 2L tile with rows a1..a5 stored in out as +0 + sum (a -0 sum stored as +0, as adding into zeroed scratch gives). */
    private static void wideStore(float[] a, int aOff, int a1, int a2, int a3, int a4, int a5, int aCs,
                                  float[] pb, int pbOff, int kc, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        int oa = aOff, ob = pbOff;
        for (int kk = 0; kk < kc; kk++, oa += aCs, ob += NR) {
            FloatVector b0 = FloatVector.fromArray(S, pb, ob);
            FloatVector b1 = FloatVector.fromArray(S, pb, ob + L);
            FloatVector av = FloatVector.broadcast(S, a[oa]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[oa + a1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[oa + a2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[oa + a3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[oa + a4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[oa + a5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        FloatVector zero = FloatVector.zero(S);
        int o0 = cOff, o1 = o0 + ldc, o2 = o1 + ldc, o3 = o2 + ldc, o4 = o3 + ldc, o5 = o4 + ldc;
        c00.add(zero).intoArray(c, o0);
        c01.add(zero).intoArray(c, o0 + L);
        c10.add(zero).intoArray(c, o1);
        c11.add(zero).intoArray(c, o1 + L);
        c20.add(zero).intoArray(c, o2);
        c21.add(zero).intoArray(c, o2 + L);
        c30.add(zero).intoArray(c, o3);
        c31.add(zero).intoArray(c, o3 + L);
        c40.add(zero).intoArray(c, o4);
        c41.add(zero).intoArray(c, o4 + L);
        c50.add(zero).intoArray(c, o5);
        c51.add(zero).intoArray(c, o5 + L);
    }

    /** The 6 x L tile (the first vector of each packed step) stored as +0 + sum into out's rows, NR apart. */
    private static void narrowStore(float[] a, int aOff, int a1, int a2, int a3, int a4, int a5, int aCs,
                                    float[] pb, int pbOff, int kc, float[] out) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S);
        FloatVector c3 = FloatVector.zero(S), c4 = FloatVector.zero(S), c5 = FloatVector.zero(S);
        int oa = aOff, ob = pbOff;
        for (int kk = 0; kk < kc; kk++, oa += aCs, ob += NR) {
            FloatVector b0 = FloatVector.fromArray(S, pb, ob);
            c0 = FloatVector.broadcast(S, a[oa]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[oa + a1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[oa + a2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[oa + a3]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, a[oa + a4]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, a[oa + a5]).fma(b0, c5);
        }
        FloatVector zero = FloatVector.zero(S);
        c0.add(zero).intoArray(out, 0);
        c1.add(zero).intoArray(out, NR);
        c2.add(zero).intoArray(out, 2 * NR);
        c3.add(zero).intoArray(out, 3 * NR);
        c4.add(zero).intoArray(out, 4 * NR);
        c5.add(zero).intoArray(out, 5 * NR);
    }

    @Override
    public String describe() {
        return "vector " + MR + "x" + NR + " (" + L + " float lanes)";
    }
}
