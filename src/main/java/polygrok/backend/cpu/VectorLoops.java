package polygrok.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
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
    /** Floats as many as D's doubles: loaded, then widened to D. */
    private static final VectorSpecies<Float> HALF = VectorSpecies.of(float.class, VectorShape.forBitSize(DL * Float.SIZE));

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

    /** The lanes of v added in lane order in float64 (not reduceLanes, whose order the Vector API leaves open). */
    private static double lanesInOrder(FloatVector v, float[] scratch) {
        v.intoArray(scratch, 0);
        double s = 0;
        for (int l = 0; l < L; l++) {
            s += scratch[l];
        }
        return s;
    }

    @Override
    public void layerNormRows(float[] x, int xBase, float[] w, int wOff, float[] b, int bOff, float[] out, int oBase, int d,
                              double eps, float[] mean, int mBase, float[] rstd, int rBase, int from, int to) {
        float[] scratch = new float[L];
        for (int r = from; r < to; r++) {
            int row = xBase + r * d, orow = oBase + r * d;
            FloatVector acc = FloatVector.zero(S);
            int j = 0;
            for (; j <= d - L; j += L) {
                acc = acc.add(FloatVector.fromArray(S, x, row + j));
            }
            double sum = lanesInOrder(acc, scratch);
            for (; j < d; j++) {
                sum += x[row + j];
            }
            float mf = (float) (sum / d);
            // the variance around the rounded mean the output and the backward use
            FloatVector m = FloatVector.broadcast(S, mf);
            acc = FloatVector.zero(S);
            for (j = 0; j <= d - L; j += L) {
                FloatVector c = FloatVector.fromArray(S, x, row + j).sub(m);
                acc = c.fma(c, acc);
            }
            double var = lanesInOrder(acc, scratch);
            for (; j < d; j++) {
                float c = x[row + j] - mf;
                var += c * c;
            }
            float rf = (float) (1 / Math.sqrt(var / d + eps));
            mean[mBase + r] = mf;
            rstd[rBase + r] = rf;
            FloatVector rv = FloatVector.broadcast(S, rf);
            for (j = 0; j <= d - L; j += L) {
                FloatVector xhat = FloatVector.fromArray(S, x, row + j).sub(m).mul(rv);
                xhat.fma(FloatVector.fromArray(S, w, wOff + j), FloatVector.fromArray(S, b, bOff + j)).intoArray(out, orow + j);
            }
            for (; j < d; j++) {
                out[orow + j] = Math.fma((x[row + j] - mf) * rf, w[wOff + j], b[bOff + j]);
            }
        }
    }

    @Override
    public void layerNormRowsBackward(float[] x, int xBase, float[] w, int wOff, float[] mean, int mBase, float[] rstd, int rBase,
                                      float[] g, int gBase, float[] gx, int gxBase, int d, int from, int to) {
        float[] scratch = new float[L];
        for (int r = from; r < to; r++) {
            int row = xBase + r * d, grow = gBase + r * d, xrow = gxBase + r * d;
            float mf = mean[mBase + r], rf = rstd[rBase + r];
            FloatVector m = FloatVector.broadcast(S, mf), rv = FloatVector.broadcast(S, rf);
            FloatVector accE = FloatVector.zero(S), accEX = FloatVector.zero(S);
            int j = 0;
            for (; j <= d - L; j += L) {
                FloatVector e = FloatVector.fromArray(S, g, grow + j).mul(FloatVector.fromArray(S, w, wOff + j));
                FloatVector xhat = FloatVector.fromArray(S, x, row + j).sub(m).mul(rv);
                accE = accE.add(e);
                accEX = e.fma(xhat, accEX);
            }
            double sumE = lanesInOrder(accE, scratch), sumEX = lanesInOrder(accEX, scratch);
            for (; j < d; j++) {
                float e = g[grow + j] * w[wOff + j];
                sumE += e;
                sumEX += e * ((x[row + j] - mf) * rf);
            }
            float meanE = (float) (sumE / d), meanEX = (float) (sumEX / d);
            FloatVector me = FloatVector.broadcast(S, meanE), negMeanEX = FloatVector.broadcast(S, -meanEX);
            for (j = 0; j <= d - L; j += L) {
                FloatVector e = FloatVector.fromArray(S, g, grow + j).mul(FloatVector.fromArray(S, w, wOff + j));
                FloatVector xhat = FloatVector.fromArray(S, x, row + j).sub(m).mul(rv);
                FloatVector t = xhat.fma(negMeanEX, e.sub(me));
                FloatVector.fromArray(S, gx, xrow + j).add(t.mul(rv)).intoArray(gx, xrow + j);
            }
            for (; j < d; j++) {
                float e = g[grow + j] * w[wOff + j];
                float xhat = (x[row + j] - mf) * rf;
                gx[xrow + j] += Math.fma(xhat, -meanEX, e - meanE) * rf;
            }
        }
    }

    private static DoubleVector widened(float[] a, int off) {
        return (DoubleVector) FloatVector.fromArray(HALF, a, off).convertShape(VectorOperators.F2D, D, 0);
    }

    private static void narrowedInto(DoubleVector v, float[] a, int off) {
        ((FloatVector) v.convertShape(VectorOperators.D2F, HALF, 0)).intoArray(a, off);
    }

    @Override
    public void adamw(float[] w, int wOff, float[] g, int gOff, float[] m1, int mOff, float[] m2, int vOff, float[] trainable,
                      int tOff, int from, int to, AdamWConstants c) {
        double rateDecay = c.rate() * c.decay(), oneMinusBeta1 = 1 - c.beta1(), oneMinusBeta2 = 1 - c.beta2();
        int j = from;
        for (; j <= to - DL; j += DL) {
            // the scalar loop's operations in its order, lane by lane
            DoubleVector gj = widened(g, gOff + j);
            DoubleVector w0 = widened(w, wOff + j), wj = w0;
            if (c.coupled()) {
                gj = gj.add(wj.mul(c.decay()));
            } else {
                wj = wj.sub(wj.mul(rateDecay));
            }
            DoubleVector m10 = widened(m1, mOff + j), m20 = widened(m2, vOff + j);
            DoubleVector mj = m10.mul(c.beta1()).add(gj.mul(oneMinusBeta1));
            DoubleVector vj = m20.mul(c.beta2()).add(gj.mul(oneMinusBeta2).mul(gj));
            wj = wj.sub(mj.mul(c.stepSize()).div(vj.lanewise(VectorOperators.SQRT).div(c.sqrtBc2()).add(c.eps())));
            var frozen = widened(trainable, tOff + j).compare(VectorOperators.EQ, 0);
            narrowedInto(wj.blend(w0, frozen), w, wOff + j);
            narrowedInto(mj.blend(m10, frozen), m1, mOff + j);
            narrowedInto(vj.blend(m20, frozen), m2, vOff + j);
        }
        for (; j < to; j++) {
            if (trainable[tOff + j] == 0) {
                continue;
            }
            double gs = g[gOff + j];
            double ws = w[wOff + j];
            if (c.coupled()) {
                gs += c.decay() * ws;
            } else {
                ws -= c.rate() * c.decay() * ws;
            }
            double ms = c.beta1() * m1[mOff + j] + (1 - c.beta1()) * gs;
            double vs = c.beta2() * m2[vOff + j] + (1 - c.beta2()) * gs * gs;
            ws -= c.stepSize() * ms / (Math.sqrt(vs) / c.sqrtBc2() + c.eps());
            w[wOff + j] = (float) ws;
            m1[mOff + j] = (float) ms;
            m2[vOff + j] = (float) vs;
        }
    }
}
