package polygrok.backend.cpu;

import static polygrok.backend.cpu.CpuContext.b;
import static polygrok.backend.cpu.CpuContext.f;

import polygrok.backend.Activation;
import polygrok.backend.WeightLayout;
import polygrok.tensor.Tensor;

/** Linear maps and the fused MLP, each a few GEMM calls per model. */
final class CpuMatmul {
    private final CpuContext cx;
    /** [N, F] act(pre), then reused for d(pre) in the backward. */
    private float[] hidden = new float[0];
    private float[] dHidden = new float[0];
    /** [F, D] the transpose of dW_out's increment. */
    private float[] transposed = new float[0];

    CpuMatmul(CpuContext cx) {
        this.cx = cx;
    }

    // ---- MLP ----------------------------------------------------------------------------------

    void mlpForward(Tensor x, Tensor wIn, Tensor wOut, Activation act, Tensor pre, Tensor out) {
        float[] xa = f(x), wi = f(wIn), wo = f(wOut), pr = f(pre), o = f(out);
        int n = x.dim(1), dm = x.dim(2), dmlp = wIn.dim(1);
        hidden = CpuContext.grow(hidden, n * dmlp);
        float[] h = hidden;
        for (int m = 0; m < x.models(); m++) {
            int xb = b(x, m), pb = b(pre, m);
            // pre [N, F] = x [N, D] W_in^T
            cx.gemm.multiply(n, dmlp, dm, xa, xb, dm, 1, wi, b(wIn, m), 1, dm, pr, pb, dmlp, false);
            cx.activate(act, pr, pb, h, 0, n * dmlp);
            // out [N, D] = act(pre) [N, F] W_out^T
            cx.gemm.multiply(n, dm, dmlp, h, 0, dmlp, 1, wo, b(wOut, m), 1, dmlp, o, b(out, m), dm, false);
        }
    }

    void mlpBackward(Tensor x, Tensor wIn, Tensor wOut, Activation act, Tensor pre, Tensor dOut,
                     Tensor dX, Tensor dWIn, Tensor dWOut) {
        float[] xa = f(x), wi = f(wIn), wo = f(wOut), pr = f(pre), g = f(dOut);
        float[] gx = f(dX), gwi = f(dWIn), gwo = f(dWOut);
        int n = x.dim(1), dm = x.dim(2), dmlp = wIn.dim(1);
        hidden = CpuContext.grow(hidden, n * dmlp);
        dHidden = CpuContext.grow(dHidden, n * dmlp);
        transposed = CpuContext.grow(transposed, dmlp * dm);
        float[] h = hidden, dh = dHidden, t = transposed;
        for (int m = 0; m < x.models(); m++) {
            int xb = b(x, m), pb = b(pre, m), gb = b(dOut, m);
            cx.activate(act, pr, pb, h, 0, n * dmlp);
            // dHidden [N, F] = dOut [N, D] W_out
            cx.gemm.multiply(n, dmlp, dm, g, gb, dm, 1, wo, b(wOut, m), dmlp, 1, dh, 0, dmlp, false);
            // dW_out [D, F] += dOut^T [D, N] act(pre) [N, F], computed as its transpose act(pre)^T dOut:
            // then the GEMM packs dOut [N, D] rather than the four times bigger act(pre)
            cx.gemm.multiply(dmlp, dm, n, h, 0, 1, dmlp, g, gb, dm, 1, t, 0, dm, false);
            addTransposed(t, dmlp, dm, gwo, b(dWOut, m));
            // dPre = act'(pre) * dHidden, in place
            cx.forRange(n * dmlp, 1 << 14, act == Activation.RELU ? 1 : 16, (from, to, w) -> {
                if (act == Activation.RELU) {
                    cx.elementwise.reluMask(pr, pb + from, dh, from, to - from);
                } else {
                    for (int j = from; j < to; j++) {
                        dh[j] *= FloatActivations.derivative(act, pr[pb + j]);
                    }
                }
            });
            // dX [N, D] += dPre [N, F] W_in
            cx.gemm.multiply(n, dm, dmlp, dh, 0, dmlp, 1, wi, b(wIn, m), dm, 1, gx, b(dX, m), dm, true);
            // dW_in [F, D] += dPre^T [F, N] x [N, D]
            cx.gemm.multiply(dmlp, dm, n, dh, 0, 1, dmlp, xa, xb, dm, 1, gwi, b(dWIn, m), dm, true);
        }
    }

    /** dst[r, c] += src[c, r] for src [rows, cols]; dst [cols, rows] starts at dstOff. */
    private void addTransposed(float[] src, int rows, int cols, float[] dst, int dstOff) {
        cx.forRange(cols, 16, rows, (from, to, w) -> {
            for (int c = from; c < to; c++) {
                int d = dstOff + c * rows;
                for (int r = 0; r < rows; r++) {
                    dst[d + r] += src[r * cols + c];
                }
            }
        });
    }

    // ---- linear maps --------------------------------------------------------------------------

    void linearForward(Tensor x, Tensor w, WeightLayout layout, Tensor y) {
        float[] xa = f(x), wa = f(w), ya = f(y);
        int n = x.dim(1), in = x.dim(2), out = y.dim(2);
        boolean outIn = layout == WeightLayout.OUT_IN;
        for (int m = 0; m < x.models(); m++) {
            // y [N, Out] = x [N, In] W' where W'(i, o) = W[o, i] (OUT_IN) or W[i, o] (IN_OUT)
            cx.gemm.multiply(n, out, in, xa, b(x, m), in, 1,
                    wa, b(w, m), outIn ? 1 : out, outIn ? in : 1, ya, b(y, m), out, false);
        }
    }

    void linearBackward(Tensor x, Tensor w, WeightLayout layout, Tensor dY, Tensor dX, Tensor dW) {
        float[] xa = f(x), wa = f(w), g = f(dY), gx = f(dX), gw = f(dW);
        int n = x.dim(1), in = x.dim(2), out = dY.dim(2);
        boolean outIn = layout == WeightLayout.OUT_IN;
        for (int m = 0; m < x.models(); m++) {
            int xb = b(x, m), gb = b(dY, m);
            // dX [N, In] += dY [N, Out] W'^T, W'^T(o, i) = W[o, i] (OUT_IN) or W[i, o] (IN_OUT)
            cx.gemm.multiply(n, in, out, g, gb, out, 1,
                    wa, b(w, m), outIn ? in : 1, outIn ? 1 : out, gx, b(dX, m), in, true);
            if (outIn) {
                // dW [Out, In] += dY^T [Out, N] x [N, In]
                cx.gemm.multiply(out, in, n, g, gb, 1, out, xa, xb, in, 1, gw, b(dW, m), in, true);
            } else {
                // dW [In, Out] += x^T [In, N] dY [N, Out]
                cx.gemm.multiply(in, out, n, xa, xb, 1, in, g, gb, out, 1, gw, b(dW, m), out, true);
            }
        }
    }
}
