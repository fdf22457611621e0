package polygrok.backend.cuda;

import static polygrok.backend.cuda.Operand.plain;
import static polygrok.backend.cuda.Operand.transposed;

import jcuda.driver.CUdeviceptr;
import polygrok.backend.Activation;
import polygrok.backend.AttentionDims;
import polygrok.backend.WeightLayout;

/**
 * The ops built from GEMMs plus a small kernel: linear maps, the MLP and attention. All matrices are
 * row-major with the model axis as the GEMM batch; weights may be strided views (their model stride
 * is the batch stride). Gradients accumulate (beta = 1); forward outputs overwrite (beta = 0).
 */
final class MatrixOps {
    private final Gemm gemm;
    private final ActivationKernels activations;
    private final AttentionKernels attention;
    private final MemoryKernels memory;
    private final Scratch scratch;

    MatrixOps(Gemm gemm, ActivationKernels activations, AttentionKernels attention, MemoryKernels memory, Scratch scratch) {
        this.gemm = gemm;
        this.activations = activations;
        this.attention = attention;
        this.memory = memory;
        this.scratch = scratch;
    }

    String gemmName() {
        return gemm.name();
    }

    /** A packed float scratch tensor of {@code perModel} elements per model. */
    private DeviceView scratchView(String name, int models, long perModel) {
        CUdeviceptr p = scratch.get(name, Math.max(1, (long) models * perModel) * DeviceStorage.ELEMENT_BYTES);
        return new DeviceView(p, perModel);
    }

    // ---- linear -------------------------------------------------------------------------------

    /** y [M, n, out] = x [M, n, in] W^T (OUT_IN, W [out, in]) or x W (IN_OUT, W [in, out]). */
    void linearForward(DeviceView x, DeviceView w, WeightLayout layout, DeviceView y, int models, int n, int in, int out) {
        Operand weight = layout == WeightLayout.OUT_IN ? transposed(w, in) : plain(w, out);
        gemm.run(n, out, in, 1f, plain(x, in), weight, 0f, plain(y, out), models);
    }

    void linearBackward(DeviceView x, DeviceView w, WeightLayout layout, DeviceView dY, DeviceView dX, DeviceView dW,
                        int models, int n, int in, int out) {
        if (layout == WeightLayout.OUT_IN) {
            gemm.run(n, in, out, 1f, plain(dY, out), plain(w, in), 1f, plain(dX, in), models);       // dX += dY W
            gemm.run(out, in, n, 1f, transposed(dY, out), plain(x, in), 1f, plain(dW, in), models);  // dW += dY^T x
        } else {
            gemm.run(n, in, out, 1f, plain(dY, out), transposed(w, out), 1f, plain(dX, in), models); // dX += dY W^T
            gemm.run(in, out, n, 1f, transposed(x, in), plain(dY, out), 1f, plain(dW, out), models); // dW += x^T dY
        }
    }

    // ---- MLP ----------------------------------------------------------------------------------

    /** pre [M, n, f] = x W_in^T; out [M, n, d] = act(pre) W_out^T. */
    void mlpForward(DeviceView x, DeviceView wIn, DeviceView wOut, Activation act, DeviceView pre, DeviceView out,
                    int models, int n, int d, int f) {
        gemm.run(n, f, d, 1f, plain(x, d), transposed(wIn, d), 0f, plain(pre, f), models);
        DeviceView hidden = scratchView("mlp.hidden", models, (long) n * f);
        activations.forward(act, pre, hidden, models, n * f);
        gemm.run(n, d, f, 1f, plain(hidden, f), transposed(wOut, f), 0f, plain(out, d), models);
    }

    void mlpBackward(DeviceView x, DeviceView wIn, DeviceView wOut, Activation act, DeviceView pre, DeviceView dOut,
                     DeviceView dX, DeviceView dWIn, DeviceView dWOut, int models, int n, int d, int f) {
        DeviceView hidden = scratchView("mlp.hidden", models, (long) n * f);
        DeviceView dHidden = scratchView("mlp.dHidden", models, (long) n * f);
        activations.forward(act, pre, hidden, models, n * f);                                                   // recompute act(pre)
        gemm.run(n, f, d, 1f, plain(dOut, d), plain(wOut, f), 0f, plain(dHidden, f), models);          // dH = dOut W_out
        gemm.run(d, f, n, 1f, transposed(dOut, d), plain(hidden, f), 1f, plain(dWOut, f), models);     // dW_out += dOut^T h
        activations.backward(act, pre, dHidden, dHidden, models, n * f, false);                                 // dPre = act'(pre) dH, in place
        gemm.run(n, d, f, 1f, plain(dHidden, f), plain(wIn, d), 1f, plain(dX, d), models);             // dX += dPre W_in
        gemm.run(f, d, n, 1f, transposed(dHidden, f), plain(x, d), 1f, plain(dWIn, d), models);       // dW_in += dPre^T x
    }

    // ---- attention ----------------------------------------------------------------------------

    /** Rows of x [M, B, T, D] that are queries: all of them, or position T-1 of every example. */
    private static Operand queryRows(Operand all, AttentionDims a) {
        return a.lastOnly() ? all.rows(a.t() - 1, a.t(), a.d()) : all;
    }

    void attentionForward(DeviceView x, DeviceView wQ, DeviceView wK, DeviceView wV, DeviceView wO,
                          DeviceView q, DeviceView k, DeviceView v, DeviceView pattern, DeviceView z, DeviceView out,
                          AttentionDims a) {
        AttentionKernels.checkContext(a.t()); // before the first launch: the projections run ahead of the kernel
        int m = a.models(), rows = a.batch() * a.t(), qRows = a.batch() * a.tq(), d = a.d(), hd = a.hd();
        Operand xAll = plain(x, d);
        gemm.run(rows, hd, d, 1f, xAll, transposed(wK, d), 0f, plain(k, hd), m);               // k = x W_K^T
        gemm.run(rows, hd, d, 1f, xAll, transposed(wV, d), 0f, plain(v, hd), m);               // v = x W_V^T
        gemm.run(qRows, hd, d, 1f, queryRows(xAll, a), transposed(wQ, d), 0f, plain(q, hd), m); // q = x_q W_Q^T
        attentionCoreForward(wO, q, k, v, pattern, z, out, a);
    }

    /** The core on given q, k, v: the attention kernel, then out = z W_O^T. */
    void attentionCoreForward(DeviceView wO, DeviceView q, DeviceView k, DeviceView v, DeviceView pattern,
                              DeviceView z, DeviceView out, AttentionDims a) {
        int m = a.models(), qRows = a.batch() * a.tq(), d = a.d(), hd = a.hd();
        attention.forward(q, k, v, pattern, z, m, a.batch(), a.t(), a.tq(), a.heads(), a.dh());
        gemm.run(qRows, d, hd, 1f, plain(z, hd), transposed(wO, hd), 0f, plain(out, d), m);   // out = z W_O^T
    }

    /**
     * Backward of {@link #attentionCoreForward}: dW_O += dOut^T z, and dQ, dK, dV += the gradients of q,
     * k, v (the kernel overwrites, so it writes scratch that is then added).
     */
    void attentionCoreBackward(DeviceView wO, DeviceView q, DeviceView k, DeviceView v, DeviceView pattern,
                               DeviceView z, DeviceView dOut, DeviceView dQ, DeviceView dK, DeviceView dV,
                               DeviceView dWO, AttentionDims a) {
        AttentionKernels.checkContext(a.t()); // before the first launch: dW_O is updated ahead of the kernel
        int m = a.models(), rows = a.batch() * a.t(), qRows = a.batch() * a.tq(), hd = a.hd();
        DeviceView dq = scratchView("attention.dq", m, (long) qRows * hd);
        DeviceView dk = scratchView("attention.dk", m, (long) rows * hd);
        DeviceView dv = scratchView("attention.dv", m, (long) rows * hd);
        mixBackward(wO, q, k, v, pattern, z, dOut, dq, dk, dv, dWO, a);
        memory.add(dQ, dq, dQ, m, qRows * hd);
        memory.add(dK, dk, dK, m, rows * hd);
        memory.add(dV, dv, dV, m, rows * hd);
    }

    /** dz = dOut W_O, dW_O += dOut^T z, then the kernel writes (overwrites) dq, dk, dv. */
    private void mixBackward(DeviceView wO, DeviceView q, DeviceView k, DeviceView v, DeviceView pattern,
                             DeviceView z, DeviceView dOut, DeviceView dq, DeviceView dk, DeviceView dv,
                             DeviceView dWO, AttentionDims a) {
        int m = a.models(), qRows = a.batch() * a.tq(), d = a.d(), hd = a.hd();
        DeviceView dz = scratchView("attention.dz", m, (long) qRows * hd);
        gemm.run(qRows, hd, d, 1f, plain(dOut, d), plain(wO, hd), 0f, plain(dz, hd), m);          // dz = dOut W_O
        gemm.run(d, hd, qRows, 1f, transposed(dOut, d), plain(z, hd), 1f, plain(dWO, hd), m);     // dW_O += dOut^T z
        attention.backward(q, k, v, pattern, dz, dq, dk, dv, m, a.batch(), a.t(), a.tq(), a.heads(), a.dh());
    }

    void attentionBackward(DeviceView x, DeviceView wQ, DeviceView wK, DeviceView wV, DeviceView wO,
                           DeviceView q, DeviceView k, DeviceView v, DeviceView pattern, DeviceView z, DeviceView dOut,
                           DeviceView dX, DeviceView dWQ, DeviceView dWK, DeviceView dWV, DeviceView dWO,
                           AttentionDims a) {
        AttentionKernels.checkContext(a.t()); // before the first launch: the projections run ahead of the kernel
        int m = a.models(), rows = a.batch() * a.t(), qRows = a.batch() * a.tq(), d = a.d(), hd = a.hd();
        DeviceView dq = scratchView("attention.dq", m, (long) qRows * hd);
        DeviceView dk = scratchView("attention.dk", m, (long) rows * hd);
        DeviceView dv = scratchView("attention.dv", m, (long) rows * hd);
        mixBackward(wO, q, k, v, pattern, z, dOut, dq, dk, dv, dWO, a);
        Operand xAll = plain(x, d), dXAll = plain(dX, d);
        gemm.run(qRows, d, hd, 1f, plain(dq, hd), plain(wQ, d), 1f, queryRows(dXAll, a), m);     // dX_q += dq W_Q
        gemm.run(rows, d, hd, 1f, plain(dk, hd), plain(wK, d), 1f, dXAll, m);                   // dX += dk W_K
        gemm.run(rows, d, hd, 1f, plain(dv, hd), plain(wV, d), 1f, dXAll, m);                   // dX += dv W_V
        gemm.run(hd, d, qRows, 1f, transposed(dq, hd), queryRows(xAll, a), 1f, plain(dWQ, d), m); // dW_Q += dq^T x_q
        gemm.run(hd, d, rows, 1f, transposed(dk, hd), xAll, 1f, plain(dWK, d), m);              // dW_K += dk^T x
        gemm.run(hd, d, rows, 1f, transposed(dv, hd), xAll, 1f, plain(dWV, d), m);              // dW_V += dv^T x
    }
}
