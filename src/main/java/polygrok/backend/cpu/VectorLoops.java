package polygrok.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SimdLoops} on the Vector API: compare and blend instead of branches. Only loaded when the
 * boot layer holds jdk.incubator.vector (see {@link TileKernels}).
 */
final class VectorLoops implements SimdLoops {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int DL = D.length();

    @Override
    public void relu(float[] x, int xOff, float[] out, int oOff, int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            VectorMask<Float> positive = v.compare(VectorOperators.GT, 0f);
            zero.blend(v, positive).intoArray(out, oOff + i);
        }
        for (; i < n; i++) {
            float v = x[xOff + i];
            out[oOff + i] = v > 0 ? v : 0f;
        }
    }

    @Override
    public void reluMask(float[] pre, int pOff, float[] d, int dOff, int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - L; i += L) {
            VectorMask<Float> positive = FloatVector.fromArray(S, pre, pOff + i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(S, d, dOff + i), positive).intoArray(d, dOff + i);
        }
        for (; i < n; i++) {
            if (!(pre[pOff + i] > 0)) {
                d[dOff + i] = 0f;
            }
        }
    }

    @Override
    public void reluGradAdd(float[] x, int xOff, float[] g, int gOff, float[] gx, int gxOff, int n) {
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (; i <= n - L; i += L) {
            // multiply by the 0 or 1 derivative rather than select, as the scalar loop does: the same bits
            VectorMask<Float> positive = FloatVector.fromArray(S, x, xOff + i).compare(VectorOperators.GT, 0f);
            FloatVector d = zero.blend(one, positive);
            FloatVector.fromArray(S, gx, gxOff + i).add(d.mul(FloatVector.fromArray(S, g, gOff + i))).intoArray(gx, gxOff + i);
        }
        for (; i < n; i++) {
            gx[gxOff + i] += (x[xOff + i] > 0 ? 1f : 0f) * g[gOff + i];
        }
    }

    @Override
    public void gelu(float[] x, int xOff, float[] out, int oOff, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            VectorGelu.value(FloatVector.fromArray(S, x, xOff + i)).intoArray(out, oOff + i);
        }
        for (; i < n; i++) {
            out[oOff + i] = FloatGelu.value(x[xOff + i]);
        }
    }

    @Override
    public void geluGrad(float[] pre, int pOff, float[] d, int dOff, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector dv = VectorGelu.derivative(FloatVector.fromArray(S, pre, pOff + i));
            FloatVector.fromArray(S, d, dOff + i).mul(dv).intoArray(d, dOff + i);
        }
        for (; i < n; i++) {
            d[dOff + i] *= FloatGelu.derivative(pre[pOff + i]);
        }
    }

    @Override
    public void geluGradAdd(float[] x, int xOff, float[] g, int gOff, float[] gx, int gxOff, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector dv = VectorGelu.derivative(FloatVector.fromArray(S, x, xOff + i));
            FloatVector.fromArray(S, gx, gxOff + i).add(dv.mul(FloatVector.fromArray(S, g, gOff + i))).intoArray(gx, gxOff + i);
        }
        for (; i < n; i++) {
            gx[gxOff + i] += FloatGelu.derivative(x[xOff + i]) * g[gOff + i];
        }
    }

    @Override
    public void addInto(float[] src, int sOff, float[] dst, int dOff, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(S, dst, dOff + i).add(FloatVector.fromArray(S, src, sOff + i)).intoArray(dst, dOff + i);
        }
        for (; i < n; i++) {
            dst[dOff + i] += src[sOff + i];
        }
    }

    @Override
    public double expShifted(float[] z, int zOff, int n, float max, double[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = (double) z[zOff + i] - max;
        }
        DoubleVector sums = DoubleVector.zero(D);
        int i = 0;
        for (; i <= n - DL; i += DL) {
            DoubleVector e = DoubleVector.fromArray(D, out, i).lanewise(VectorOperators.EXP);
            e.intoArray(out, i);
            sums = sums.add(e);
        }
        double sum = sums.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            out[i] = Math.exp(out[i]);
            sum += out[i];
        }
        return sum;
    }
}
