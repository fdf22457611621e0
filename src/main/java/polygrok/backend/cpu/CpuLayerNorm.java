package polygrok.backend.cpu;

import static polygrok.backend.cpu.CpuContext.base;
import static polygrok.backend.cpu.CpuContext.floats;

import polygrok.tensor.Tensor;

/**
 * LayerNorm over the last axis. Row statistics are taken in double. The weight and bias gradients
 * (sums over rows) are split by column: each task owns some columns and walks the rows in order.
 */
final class CpuLayerNorm {
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
                    double s = 0;
                    for (int j = 0; j < dm; j++) {
                        s += a[row + j];
                    }
                    double mn = s / dm, var = 0;
                    for (int j = 0; j < dm; j++) {
                        double d = a[row + j] - mn;
                        var += d * d;
                    }
                    double r1 = 1 / Math.sqrt(var / dm + eps);
                    mu[mb + r] = (float) mn;
                    rs[rb + r] = (float) r1;
                    for (int j = 0; j < dm; j++) {
                        o[ob + r * dm + j] = (float) ((a[row + j] - mn) * r1 * ww[wb + j] + bb[bsb + j]);
                    }
                }
            });
        });
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
                    double sumG = 0, sumGX = 0;
                    for (int j = 0; j < dm; j++) {
                        double xhat = (a[row + j] - mn) * r1;
                        double gxhat = (double) g[grow + j] * ww[wb + j];
                        sumG += gxhat;
                        sumGX += gxhat * xhat;
                    }
                    for (int j = 0; j < dm; j++) {
                        double xhat = (a[row + j] - mn) * r1;
                        double gxhat = (double) g[grow + j] * ww[wb + j];
                        gx[dxb + r * dm + j] += (float) (r1 * (gxhat - sumG / dm - xhat * sumGX / dm));
                    }
                }
            });
            cx.forRange(lane, dm, 16, n * 4L, (from, to, wk) -> {
                for (int j = from; j < to; j++) {
                    double sw = 0, sb = 0;
                    for (int r = 0; r < n; r++) {
                        double gv = g[ob + r * dm + j];
                        sw += gv * (a[xb + r * dm + j] - mu[mb + r]) * rs[rb + r];
                        sb += gv;
                    }
                    gw[dwb + j] += (float) sw;
                    gb[dbb + j] += (float) sb;
                }
            });
        });
    }
}
