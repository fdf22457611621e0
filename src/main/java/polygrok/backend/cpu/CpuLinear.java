package polygrok.backend.cpu;

import static polygrok.backend.cpu.CpuContext.base;
import static polygrok.backend.cpu.CpuContext.floats;

import polygrok.backend.Activation;
import polygrok.backend.WeightLayout;
import polygrok.tensor.Tensor;

/**
 * Linear maps and the fused MLP, each a few GEMM calls per model; small models of a group run side
 * by side ({@link CpuContext#forModels}), each lane with its own workspaces.
 */
final class CpuLinear {
    private final CpuContext cx;
    /** Per lane: [N, F] act(pre), then reused for d(pre) in the backward. */
    private final float[][] hidden;
    private final float[][] dHidden;
    /** Per lane: [F, D] the transpose of dW_out's increment. */
    private final float[][] transposed;

    CpuLinear(CpuContext cx) {
        this.cx = cx;
        int lanes = cx.pool.size();
        this.hidden = new float[lanes][0];
        this.dHidden = new float[lanes][0];
        this.transposed = new float[lanes][0];
    }

    // ---- MLP ----------------------------------------------------------------------------------

    void mlpForward(Tensor x, Tensor wIn, Tensor wOut, Activation act, Tensor pre, Tensor out) {
        float[] xa = floats(x), wi = floats(wIn), wo = floats(wOut), pr = floats(pre), o = floats(out);
        int n = x.dim(1), dm = x.dim(2), dmlp = wIn.dim(1);
        CpuContext.growAll(hidden, n * dmlp);
        cx.forModels(x.models(), (long) n * dm * dmlp, (m, lane) -> {
            float[] h = hidden[CpuContext.scratch(lane)];
            int xb = base(x, m), pb = base(pre, m);
            // pre [N, F] = x [N, D] W_in^T
            cx.gemm.multiply(lane, n, dmlp, dm, xa, xb, dm, 1, wi, base(wIn, m), 1, dm, pr, pb, dmlp, false);
            cx.activate(lane, act, pr, pb, h, 0, n * dmlp);
            // out [N, D] = act(pre) [N, F] W_out^T
            cx.gemm.multiply(lane, n, dm, dmlp, h, 0, dmlp, 1, wo, base(wOut, m), 1, dmlp, o, base(out, m), dm, false);
        });
    }


    void mlpBackward(Tensor x, Tensor wIn, Tensor wOut, Activation act, Tensor pre, Tensor dOut,
                     Tensor dX, Tensor dWIn, Tensor dWOut) {
        float[] xa = floats(x), wi = floats(wIn), wo = floats(wOut), pr = floats(pre), g = floats(dOut);
        float[] gx = floats(dX), gwi = floats(dWIn), gwo = floats(dWOut);
        int n = x.dim(1), dm = x.dim(2), dmlp = wIn.dim(1);
        CpuContext.growAll(hidden, n * dmlp);
        CpuContext.growAll(dHidden, n * dmlp);
        CpuContext.growAll(transposed, dmlp * dm);
        cx.forModels(x.models(), (long) n * dm * dmlp, (m, lane) -> {
            int own = CpuContext.scratch(lane);
            float[] h = hidden[own], dh = dHidden[own], t = transposed[own];
            int xb = base(x, m), pb = base(pre, m), gb = base(dOut, m);
            cx.activate(lane, act, pr, pb, h, 0, n * dmlp);
            // dHidden [N, F] = dOut [N, D] W_out
            cx.gemm.multiply(lane, n, dmlp, dm, g, gb, dm, 1, wo, base(wOut, m), dmlp, 1, dh, 0, dmlp, false);
            // dW_out [D, F] += dOut^T [D, N] act(pre) [N, F], computed as its transpose act(pre)^T dOut:
            // then the GEMM packs dOut [N, D] rather than the four times bigger act(pre)
            cx.gemm.multiply(lane, dmlp, dm, n, h, 0, 1, dmlp, g, gb, dm, 1, t, 0, dm, false);
            addTransposed(lane, t, dmlp, dm, gwo, base(dWOut, m));
            // dPre = act'(pre) * dHidden, in place
            cx.forRange(lane, n * dmlp, 1 << 14, act == Activation.RELU ? 1 : 4, (from, to, w) -> {
                if (act == Activation.RELU) {
                    cx.loops.reluMask(pr, pb + from, dh, from, to - from);
                } else {
                    cx.loops.geluGrad(pr, pb + from, dh, from, to - from);
                }
            });
            // dX [N, D] += dPre [N, F] W_in
            cx.gemm.multiply(lane, n, dm, dmlp, dh, 0, dmlp, 1, wi, base(wIn, m), dm, 1, gx, base(dX, m), dm, true);
            // dW_in [F, D] += dPre^T [F, N] x [N, D]
            cx.gemm.multiply(lane, dmlp, dm, n, dh, 0, 1, dmlp, xa, xb, dm, 1, gwi, base(dWIn, m), dm, true);
        });
    }

    /** dst[r, c] += src[c, r] for src [rows, cols]; dst [cols, rows] starts at dstOff. */
    private void addTransposed(int lane, float[] src, int rows, int cols, float[] dst, int dstOff) {
        cx.forRange(lane, cols, 16, rows, (from, to, w) -> {
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
        float[] xa = floats(x), wa = floats(w), ya = floats(y);
        int n = x.dim(1), in = x.dim(2), out = y.dim(2);
        boolean outIn = layout == WeightLayout.OUT_IN;
        cx.forModels(x.models(), (long) n * in * out, (m, lane) ->
            // y [N, Out] = x [N, In] W' where W'(i, o) = W[o, i] (OUT_IN) or W[i, o] (IN_OUT)
            cx.gemm.multiply(lane, n, out, in, xa, base(x, m), in, 1,
                    wa, base(w, m), outIn ? 1 : out, outIn ? in : 1, ya, base(y, m), out, false));
    }

    void linearBackward(Tensor x, Tensor w, WeightLayout layout, Tensor dY, Tensor dX, Tensor dW) {
        float[] xa = floats(x), wa = floats(w), g = floats(dY), gx = floats(dX), gw = floats(dW);
        int n = x.dim(1), in = x.dim(2), out = dY.dim(2);
        boolean outIn = layout == WeightLayout.OUT_IN;
        cx.forModels(x.models(), (long) n * in * out, (m, lane) -> {
            int xb = base(x, m), gb = base(dY, m);
            // dX [N, In] += dY [N, Out] W'^T, W'^T(o, i) = W[o, i] (OUT_IN) or W[i, o] (IN_OUT)
            cx.gemm.multiply(lane, n, in, out, g, gb, out, 1,
                    wa, base(w, m), outIn ? in : 1, outIn ? 1 : out, gx, base(dX, m), in, true);
            if (outIn) {
                // dW [Out, In] += dY^T [Out, N] x [N, In]
                cx.gemm.multiply(lane, out, in, n, g, gb, 1, out, xa, xb, in, 1, gw, base(dW, m), in, true);
            } else {
                // dW [In, Out] += x^T [In, N] dY [N, Out]
                cx.gemm.multiply(lane, in, out, n, xa, xb, 1, in, g, gb, out, 1, gw, base(dW, m), out, true);
            }
        });
    }
}
