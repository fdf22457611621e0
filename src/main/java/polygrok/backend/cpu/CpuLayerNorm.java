package polygrok.backend.cpu;

import static polygrok.backend.cpu.CpuContext.base;
import static polygrok.backend.cpu.CpuContext.floats;

import polygrok.tensor.Tensor;

/**
 * LayerNorm over the last axis. Row statistics are taken in double, each sum over a row in four
 * interleaved running sums (element j into sum j mod 4, then the four added in order): a single
 * running sum waits on the add's latency at every element, and the four are a fixed order, so the
 * bits do not depend on threads. The weight and bias gradients (sums over rows) are split by
 * column: each task owns some columns and walks the rows in order, a row at a time across its columns.
 */
final class CpuLayerNorm {
    /** Columns per task of the weight and bias gradients. */
    private static final int COLUMN_BLOCK = 64;

    private final CpuContext cx;

    CpuLayerNorm(CpuContext cx) {
        this.cx = cx;
    }

    void forward(Tensor x, Tensor w, Tensor bias, double eps, Tensor mean, Tensor rstd, Tensor out) {
        float[] a = floats(x), ww = floats(w), bb = floats(bias), mu = floats(mean), rs = floats(rstd), o = floats(out);
        int n = x.dim(1), dm = x.dim(2);
        cx.forModels(x.models(), (long) n * dm * 4, (m, lane) -> {
            int xb = base(x, m), wb = base(w, m), bsb = base(bias, m), mb = base(mean, m), rb = base(rstd, m), ob = base(out, m);
            cx.forRange(lane, n, 128, dm * 4L, (from, to, wk) -> {
                for (int r = from; r < to; r++) {
                    int row = xb + r * dm;
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
                    mu[mb + r] = (float) mn;
                    rs[rb + r] = (float) r1;
                    int orow = ob + r * dm;
                    for (j = 0; j < dm; j++) {
                        o[orow + j] = (float) ((a[row + j] - mn) * r1 * ww[wb + j] + bb[bsb + j]);
                    }
                }
            });
        });
    }

    /** The float64 sum of a[off .. off + len) in four interleaved running sums. */
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

    void backward(Tensor x, Tensor w, Tensor mean, Tensor rstd, Tensor dOut, Tensor dX, Tensor dW, Tensor dB) {
        float[] a = floats(x), ww = floats(w), mu = floats(mean), rs = floats(rstd), g = floats(dOut), gx = floats(dX), gw = floats(dW), gb = floats(dB);
        int n = x.dim(1), dm = x.dim(2);
        cx.forModels(x.models(), (long) n * dm * 10, (m, lane) -> {
            int xb = base(x, m), wb = base(w, m), mb = base(mean, m), rb = base(rstd, m), ob = base(dOut, m), dxb = base(dX, m);
            int dwb = base(dW, m), dbb = base(dB, m);
            cx.forRange(lane, n, 128, dm * 6L, (from, to, wk) -> {
                for (int r = from; r < to; r++) {
                    int row = xb + r * dm, grow = ob + r * dm;
                    double mn = mu[mb + r], r1 = rs[rb + r];
                    double g0 = 0, g1 = 0, g2 = 0, g3 = 0, p0 = 0, p1 = 0, p2 = 0, p3 = 0;
                    int j = 0;
                    for (; j <= dm - 4; j += 4) {
                        double e0 = (double) g[grow + j] * ww[wb + j], e1 = (double) g[grow + j + 1] * ww[wb + j + 1];
                        double e2 = (double) g[grow + j + 2] * ww[wb + j + 2], e3 = (double) g[grow + j + 3] * ww[wb + j + 3];
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
                        double e = (double) g[grow + j] * ww[wb + j];
                        g0 += e;
                        p0 += e * ((a[row + j] - mn) * r1);
                    }
                    double meanG = (g0 + g1 + g2 + g3) / dm, meanGX = (p0 + p1 + p2 + p3) / dm;
                    int xrow = dxb + r * dm;
                    for (j = 0; j < dm; j++) {
                        double xhat = (a[row + j] - mn) * r1;
                        double gxhat = (double) g[grow + j] * ww[wb + j];
                        gx[xrow + j] += (float) (r1 * (gxhat - meanG - xhat * meanGX));
                    }
                }
            });
            int blocks = (dm + COLUMN_BLOCK - 1) / COLUMN_BLOCK;
            cx.forRange(lane, blocks, 1, (long) n * COLUMN_BLOCK * 4, (from, to, wk) -> {
                double[] sw = new double[COLUMN_BLOCK], sb = new double[COLUMN_BLOCK];
                for (int blk = from; blk < to; blk++) {
                    int j0 = blk * COLUMN_BLOCK, width = Math.min(COLUMN_BLOCK, dm - j0);
                    java.util.Arrays.fill(sw, 0);
                    java.util.Arrays.fill(sb, 0);
                    // each column's sums still run over the rows in order, as a column-at-a-time walk would (the same bits)
                    for (int r = 0; r < n; r++) {
                        int at = r * dm + j0;
                        float mn = mu[mb + r], r1 = rs[rb + r];
                        for (int c = 0; c < width; c++) {
                            double gv = g[ob + at + c];
                            sw[c] += gv * (a[xb + at + c] - mn) * r1;
                            sb[c] += gv;
                        }
                    }
                    for (int c = 0; c < width; c++) {
                        gw[dwb + j0 + c] += (float) sw[c];
                        gb[dbb + j0 + c] += (float) sb[c];
                    }
                }
            });
        });
    }
}
