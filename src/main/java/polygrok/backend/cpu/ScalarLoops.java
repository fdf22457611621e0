package polygrok.backend.cpu;

/** {@link SimdLoops} in plain Java, for JVMs without the Vector API module. */
final class ScalarLoops implements SimdLoops {

    @Override
    public void relu(float[] x, int xOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            out[oOff + i] = v > 0 ? v : 0f;
        }
    }

    @Override
    public void reluMask(float[] pre, int pOff, float[] d, int dOff, int n) {
        for (int i = 0; i < n; i++) {
            if (!(pre[pOff + i] > 0)) {
                d[dOff + i] = 0f;
            }
        }
    }

    @Override
    public void reluGradAdd(float[] x, int xOff, float[] g, int gOff, float[] gx, int gxOff, int n) {
        for (int i = 0; i < n; i++) {
            gx[gxOff + i] += (x[xOff + i] > 0 ? 1f : 0f) * g[gOff + i];
        }
    }

    @Override
    public void gelu(float[] x, int xOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) {
            out[oOff + i] = FloatGelu.value(x[xOff + i]);
        }
    }

    @Override
    public void geluGrad(float[] pre, int pOff, float[] d, int dOff, int n) {
        for (int i = 0; i < n; i++) {
            d[dOff + i] *= FloatGelu.derivative(pre[pOff + i]);
        }
    }

    @Override
    public void geluGradAdd(float[] x, int xOff, float[] g, int gOff, float[] gx, int gxOff, int n) {
        for (int i = 0; i < n; i++) {
            gx[gxOff + i] += FloatGelu.derivative(x[xOff + i]) * g[gOff + i];
        }
    }

    @Override
    public void addInto(float[] src, int sOff, float[] dst, int dOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dOff + i] += src[sOff + i];
        }
    }

    @Override
    public double expShifted(float[] z, int zOff, int n, float max, double[] out) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            out[i] = Math.exp((double) z[zOff + i] - max);
            sum += out[i];
        }
        return sum;
    }

    @Override
    public void layerNormRows(float[] a, int xBase, float[] ww, int wOff, float[] bb, int bOff, float[] o, int oBase, int dm,
                              double eps, float[] mu, int mBase, float[] rs, int rBase, int from, int to) {
        for (int r = from; r < to; r++) {
            int row = xBase + r * dm;
            double mn = sum(a, row, dm) / dm;
            double v0 = 0, v1 = 0, v2 = 0, v3 = 0;
            int j = 0;
            for (; j <= dm - 4; j += 4) {
                double d0 = a[row + j] - mn, d1 = a[row + j + 1] - mn, d2 = a[row + j + 2] - mn, d3 = a[row + j + 3] - mn;
                v0 += d0 * d0;
                v1 += d1 * d1;
                v2 += d2 * d2;
                v3 += d3 * d3;
            }
            for (; j < dm; j++) {
                double d = a[row + j] - mn;
                v0 += d * d;
            }
            double var = v0 + v1 + v2 + v3;
            double r1 = 1 / Math.sqrt(var / dm + eps);
            mu[mBase + r] = (float) mn;
            rs[rBase + r] = (float) r1;
            int orow = oBase + r * dm;
            for (j = 0; j < dm; j++) {
                o[orow + j] = (float) ((a[row + j] - mn) * r1 * ww[wOff + j] + bb[bOff + j]);
            }
        }
    }

    /** The float64 sum of a[off .. off + len) in four interleaved running sums (a single one waits on each add). */
    private static double sum(float[] a, int off, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j <= len - 4; j += 4) {
            s0 += a[off + j];
            s1 += a[off + j + 1];
            s2 += a[off + j + 2];
            s3 += a[off + j + 3];
        }
        for (; j < len; j++) {
            s0 += a[off + j];
        }
        return s0 + s1 + s2 + s3;
    }

    @Override
    public void layerNormRowsBackward(float[] a, int xBase, float[] ww, int wOff, float[] mu, int mBase, float[] rs, int rBase,
                                      float[] g, int gBase, float[] gx, int gxBase, int dm, int from, int to) {
        for (int r = from; r < to; r++) {
            int row = xBase + r * dm, grow = gBase + r * dm;
            double mn = mu[mBase + r], r1 = rs[rBase + r];
            double g0 = 0, g1 = 0, g2 = 0, g3 = 0, p0 = 0, p1 = 0, p2 = 0, p3 = 0;
            int j = 0;
            for (; j <= dm - 4; j += 4) {
                double e0 = (double) g[grow + j] * ww[wOff + j], e1 = (double) g[grow + j + 1] * ww[wOff + j + 1];
                double e2 = (double) g[grow + j + 2] * ww[wOff + j + 2], e3 = (double) g[grow + j + 3] * ww[wOff + j + 3];
                g0 += e0;
                g1 += e1;
                g2 += e2;
                g3 += e3;
                p0 += e0 * ((a[row + j] - mn) * r1);
                p1 += e1 * ((a[row + j + 1] - mn) * r1);
                p2 += e2 * ((a[row + j + 2] - mn) * r1);
                p3 += e3 * ((a[row + j + 3] - mn) * r1);
            }
            for (; j < dm; j++) {
                double e = (double) g[grow + j] * ww[wOff + j];
                g0 += e;
                p0 += e * ((a[row + j] - mn) * r1);
            }
            double meanG = (g0 + g1 + g2 + g3) / dm, meanGX = (p0 + p1 + p2 + p3) / dm;
            int xrow = gxBase + r * dm;
            for (j = 0; j < dm; j++) {
                double xhat = (a[row + j] - mn) * r1;
                double gxhat = (double) g[grow + j] * ww[wOff + j];
                gx[xrow + j] += (float) (r1 * (gxhat - meanG - xhat * meanGX));
            }
        }
    }

    @Override
    public void adamw(float[] w, int wOff, float[] g, int gOff, float[] m1, int mOff, float[] m2, int vOff, float[] trainable,
                      int tOff, int from, int to, AdamWConstants c) {
        for (int j = from; j < to; j++) {
            if (trainable[tOff + j] == 0) {
                continue;
            }
            double gj = g[gOff + j];
            double wj = w[wOff + j];
            if (c.coupled()) {
                gj += c.decay() * wj; // Adam's L2: the decay enters the moments, as torch.optim.Adam
            } else {
                wj -= c.rate() * c.decay() * wj;
            }
            double mj = c.beta1() * m1[mOff + j] + (1 - c.beta1()) * gj;
            double vj = c.beta2() * m2[vOff + j] + (1 - c.beta2()) * gj * gj;
            wj -= c.stepSize() * mj / (Math.sqrt(vj) / c.sqrtBc2() + c.eps());
            w[wOff + j] = (float) wj;
            m1[mOff + j] = (float) mj;
            m2[vOff + j] = (float) vj;
        }
    }
}
