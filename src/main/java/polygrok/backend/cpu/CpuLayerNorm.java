package polygrok.backend.cpu;

import static polygrok.backend.cpu.CpuContext.base;
import static polygrok.backend.cpu.CpuContext.floats;

import polygrok.tensor.Tensor;

/**
 * LayerNorm over the last axis. Each row's statistics, output and input gradient are the loops'
 * ({@link SimdLoops#layerNormRows}: float32 vector lanes on the Vector API, float64 sums without it),
 * a fixed order per row, so the bits do not depend on threads. The weight and bias gradients (sums
 * over rows) are split by column: each task owns some columns and walks the rows in order, a row at
 * a time across its columns.
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
            cx.forRange(lane, n, 128, dm * 4L, (from, to, wk) ->
                    cx.loops.layerNormRows(a, xb, ww, wb, bb, bsb, o, ob, dm, eps, mu, mb, rs, rb, from, to));
        });
    }

    void backward(Tensor x, Tensor w, Tensor mean, Tensor rstd, Tensor dOut, Tensor dX, Tensor dW, Tensor dB) {
        float[] a = floats(x), ww = floats(w), mu = floats(mean), rs = floats(rstd), g = floats(dOut), gx = floats(dX), gw = floats(dW), gb = floats(dB);
        int n = x.dim(1), dm = x.dim(2);
        cx.forModels(x.models(), (long) n * dm * 10, (m, lane) -> {
            int xb = base(x, m), wb = base(w, m), mb = base(mean, m), rb = base(rstd, m), ob = base(dOut, m), dxb = base(dX, m);
            int dwb = base(dW, m), dbb = base(dB, m);
            cx.forRange(lane, n, 128, dm * 6L, (from, to, wk) ->
                    cx.loops.layerNormRowsBackward(a, xb, ww, wb, mu, mb, rs, rb, g, ob, gx, dxb, dm, from, to));
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
