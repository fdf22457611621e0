package polygrok.backend.cpu;

import static polygrok.backend.cpu.CpuContext.base;
import static polygrok.backend.cpu.CpuContext.floats;

import polygrok.backend.AttentionSaved;
import polygrok.tensor.Tensor;

/**
 * Fused causal attention in float32. The projections (Q, K, V, W_O and all their gradients) are
 * GEMMs over every example at once; the per-example part (scores, softmax, mix, and their
 * backward) is a T x T problem per head and runs over examples in parallel. Small models of a
 * group run side by side instead ({@link CpuContext#forModels}), each lane with its own workspaces.
 */
final class CpuAttention {
    private final CpuContext cx;
    /** Per lane: [B * Tq, H * Dh] gradient of z, then of q. */
    private final float[][] dz;
    private final float[][] dq;
    /** Per lane: [B * T, 2 * H * Dh] gradients of k (first H * Dh columns) and v, side by side: one GEMM serves both. */
    private final float[][] dkv;
    /** Per lane: [2 * H * Dh, D] W_K stacked over W_V, and the transposed weight-gradient increment of both. */
    private final float[][] wkv;
    private final float[][] dwkv;

    CpuAttention(CpuContext cx) {
        this.cx = cx;
        int lanes = cx.pool.size();
        this.dz = new float[lanes][0];
        this.dq = new float[lanes][0];
        this.dkv = new float[lanes][0];
        this.wkv = new float[lanes][0];
        this.dwkv = new float[lanes][0];
    }

    void forward(Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO, boolean lastOnly,
                 AttentionSaved saved, Tensor out) {
        float[] xa = floats(x), wq = floats(wQ), wk = floats(wK), wv = floats(wV);
        float[] q = floats(saved.q()), k = floats(saved.k()), v = floats(saved.v());
        int batch = x.dim(1), t = x.dim(2), dm = x.dim(3), heads = wQ.dim(1), dh = wQ.dim(2);
        int tq = lastOnly ? 1 : t, hd = heads * dh;
        // query rows of x: every row, or the last position of each example (rows T * D apart)
        int qRows = batch * tq, qStride = lastOnly ? t * dm : dm, qFirst = lastOnly ? (t - 1) * dm : 0;
        cx.forModels(x.models(), (long) batch * t * dm * hd * 3, (m, lane) -> {
            int xb = base(x, m), qb = base(saved.q(), m), kb = base(saved.k(), m), vb = base(saved.v(), m);
            // k, v [B*T, H*Dh] = x [B*T, D] W^T; q [B*Tq, H*Dh] from the query rows
            cx.gemm.multiply(lane, batch * t, hd, dm, xa, xb, dm, 1, wk, base(wK, m), 1, dm, k, kb, hd, false);
            cx.gemm.multiply(lane, batch * t, hd, dm, xa, xb, dm, 1, wv, base(wV, m), 1, dm, v, vb, hd, false);
            cx.gemm.multiply(lane, qRows, hd, dm, xa, xb + qFirst, qStride, 1, wq, base(wQ, m), 1, dm, q, qb, hd, false);
            coreForward(m, lane, wO, lastOnly, saved, out);
        });
    }

    /** The core alone (q, k, v given in saved): see {@link polygrok.backend.Backend#attentionCoreForward}. */
    void coreForward(Tensor wO, boolean lastOnly, AttentionSaved saved, Tensor out) {
        Tensor k = saved.k();
        int tq = lastOnly ? 1 : k.dim(2);
        cx.forModels(k.models(), (long) k.dim(1) * tq * wO.dim(1) * wO.dim(2), (m, lane) ->
                coreForward(m, lane, wO, lastOnly, saved, out));
    }

    /** Scores, softmax and mix per example, then out = z W_O^T, for model m. */
    private void coreForward(int m, int lane, Tensor wO, boolean lastOnly, AttentionSaved saved, Tensor out) {
        float[] q = floats(saved.q()), k = floats(saved.k()), v = floats(saved.v()), pat = floats(saved.pattern()), z = floats(saved.z());
        float[] wo = floats(wO), o = floats(out);
        int batch = saved.k().dim(1), t = saved.k().dim(2), heads = saved.k().dim(3), dh = saved.k().dim(4);
        int dm = wO.dim(1), tq = lastOnly ? 1 : t, hd = heads * dh, qRows = batch * tq;
        float scale = (float) (1 / Math.sqrt(dh));
        int qb = base(saved.q(), m), kb = base(saved.k(), m), vb = base(saved.v(), m);
        int pb = base(saved.pattern(), m), zb = base(saved.z(), m);
        cx.forRange(lane, batch, 64, (long) heads * tq * t * dh * 2, (from, to, w) -> {
            for (int e = from; e < to; e++) {
                mix(e, q, qb, k, kb, v, vb, pat, pb, z, zb, t, tq, heads, dh, scale);
            }
        });
        // out [B*Tq, D] = z [B*Tq, H*Dh] W_O^T
        cx.gemm.multiply(lane, qRows, dm, hd, z, zb, hd, 1, wo, base(wO, m), 1, hd, o, base(out, m), dm, false);
    }

    /** Scores, causal softmax and the mix of values for one example, every head and query. */
    private static void mix(int e, float[] q, int qb, float[] k, int kb, float[] v, int vb,
                            float[] pat, int pb, float[] z, int zb, int t, int tq, int heads, int dh, float scale) {
        int hd = heads * dh, firstQuery = t - tq;
        for (int h = 0; h < heads; h++) {
            for (int qi = 0; qi < tq; qi++) {
                int p = firstQuery + qi;
                int qRow = qb + (e * tq + qi) * hd + h * dh;
                int row = pb + ((e * heads + h) * tq + qi) * t;
                float max = Float.NEGATIVE_INFINITY;
                for (int kj = 0; kj <= p; kj++) {
                    float s = dot(q, qRow, k, kb + (e * t + kj) * hd + h * dh, dh) * scale;
                    pat[row + kj] = s;
                    max = Math.max(max, s);
                }
                float sum = 0;
                for (int kj = 0; kj <= p; kj++) {
                    float ex = (float) Math.exp(pat[row + kj] - max);
                    pat[row + kj] = ex;
                    sum += ex;
                }
                float inv = 1 / sum;
                for (int kj = 0; kj < t; kj++) {
                    pat[row + kj] = kj <= p ? pat[row + kj] * inv : 0f;
                }
                int zRow = zb + (e * tq + qi) * hd + h * dh;
                for (int i = 0; i < dh; i++) {
                    z[zRow + i] = 0f;
                }
                for (int kj = 0; kj <= p; kj++) {
                    float pw = pat[row + kj];
                    int vRow = vb + (e * t + kj) * hd + h * dh;
                    for (int i = 0; i < dh; i++) {
                        z[zRow + i] += pw * v[vRow + i];
                    }
                }
            }
        }
    }

    /** Where the backward of the mix adds the gradients of q, k and v: arrays, first rows and row strides. */
    private record MixGrads(float[] dq, int dqBase, float[] dk, int dkBase, int dkStride,
                            float[] dv, int dvBase, int dvStride) {
    }

    void backward(Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO, boolean lastOnly,
                  AttentionSaved saved, Tensor dOut,
                  Tensor dX, Tensor dWQ, Tensor dWK, Tensor dWV, Tensor dWO) {
        float[] xa = floats(x), wq = floats(wQ), wk = floats(wK), wv = floats(wV);
        float[] gx = floats(dX), gq = floats(dWQ), gk = floats(dWK), gv = floats(dWV);
        int batch = x.dim(1), t = x.dim(2), dm = x.dim(3), heads = wQ.dim(1), dh = wQ.dim(2);
        int tq = lastOnly ? 1 : t, hd = heads * dh;
        int qRows = batch * tq, qStride = lastOnly ? t * dm : dm, qFirst = lastOnly ? (t - 1) * dm : 0;
        CpuContext.growAll(dz, qRows * hd);
        CpuContext.growAll(dq, qRows * hd);
        CpuContext.growAll(dkv, batch * t * 2 * hd);
        CpuContext.growAll(wkv, 2 * hd * dm);
        CpuContext.growAll(dwkv, 2 * hd * dm);
        cx.forModels(x.models(), (long) batch * t * dm * hd * 6, (m, lane) -> {
            int own = CpuContext.scratch(lane);
            float[] gqa = dq[own], gkv = dkv[own], wkvOwn = wkv[own], dwkvOwn = dwkv[own];
            int xb = base(x, m), dxb = base(dX, m);
            // the mix's gradients go to scratch: q [B*Tq, H*Dh], k and v side by side in [B*T, 2*H*Dh]
            java.util.Arrays.fill(gqa, 0, qRows * hd, 0f);
            java.util.Arrays.fill(gkv, 0, batch * t * 2 * hd, 0f);
            coreBackward(m, lane, wO, lastOnly, saved, dOut, dWO, new MixGrads(gqa, 0, gkv, 0, 2 * hd, gkv, hd, 2 * hd));
            // dX += dq W_Q (query rows); dX += [dk dv] [W_K; W_V]
            cx.gemm.multiply(lane, qRows, dm, hd, gqa, 0, hd, 1, wq, base(wQ, m), dm, 1, gx, dxb + qFirst, qStride, true);
            System.arraycopy(wk, base(wK, m), wkvOwn, 0, hd * dm);
            System.arraycopy(wv, base(wV, m), wkvOwn, hd * dm, hd * dm);
            cx.gemm.multiply(lane, batch * t, dm, 2 * hd, gkv, 0, 2 * hd, 1, wkvOwn, 0, dm, 1, gx, dxb, dm, true);
            // dW_Q [H*Dh, D] += dq^T x_query; [dW_K; dW_V] += [dk dv]^T x (x packed once for both)
            cx.gemm.multiply(lane, hd, dm, qRows, gqa, 0, 1, hd, xa, xb + qFirst, qStride, 1, gq, base(dWQ, m), dm, true);
            cx.gemm.multiply(lane, 2 * hd, dm, batch * t, gkv, 0, 1, 2 * hd, xa, xb, dm, 1, dwkvOwn, 0, dm, false);
            int gkb = base(dWK, m), gvb = base(dWV, m), half = hd * dm;
            for (int j = 0; j < half; j++) {
                gk[gkb + j] += dwkvOwn[j];
                gv[gvb + j] += dwkvOwn[half + j];
            }
        });
    }

    /** The core alone: see {@link polygrok.backend.Backend#attentionCoreBackward}. */
    void coreBackward(Tensor wO, boolean lastOnly, AttentionSaved saved, Tensor dOut,
                      Tensor dQ, Tensor dK, Tensor dV, Tensor dWO) {
        Tensor k = saved.k();
        int batch = k.dim(1), t = k.dim(2), hd = k.dim(3) * k.dim(4), tq = lastOnly ? 1 : t;
        CpuContext.growAll(dz, batch * tq * hd); // the mix adds into dQ, dK, dV directly: dz is the only workspace
        float[] gq = floats(dQ), gk = floats(dK), gv = floats(dV);
        cx.forModels(k.models(), (long) batch * tq * wO.dim(1) * hd * 2, (m, lane) ->
                coreBackward(m, lane, wO, lastOnly, saved, dOut, dWO,
                        new MixGrads(gq, base(dQ, m), gk, base(dK, m), hd, gv, base(dV, m), hd)));
    }

    /** dz = dOut W_O, dW_O += dOut^T z, then the mix's backward adds into {@code grads}, for model m. */
    private void coreBackward(int m, int lane, Tensor wO, boolean lastOnly, AttentionSaved saved, Tensor dOut,
                              Tensor dWO, MixGrads grads) {
        float[] q = floats(saved.q()), k = floats(saved.k()), v = floats(saved.v()), pat = floats(saved.pattern()), z = floats(saved.z());
        float[] wo = floats(wO), g = floats(dOut), go = floats(dWO);
        int batch = saved.k().dim(1), t = saved.k().dim(2), heads = saved.k().dim(3), dh = saved.k().dim(4);
        int dm = wO.dim(1), tq = lastOnly ? 1 : t, hd = heads * dh, qRows = batch * tq;
        float scale = (float) (1 / Math.sqrt(dh));
        float[] gz = dz[CpuContext.scratch(lane)];
        int gb = base(dOut, m), qb = base(saved.q(), m), kb = base(saved.k(), m), vb = base(saved.v(), m);
        int pb = base(saved.pattern(), m), zb = base(saved.z(), m);
        // dz [B*Tq, H*Dh] = dOut [B*Tq, D] W_O; dW_O [D, H*Dh] += dOut^T z
        cx.gemm.multiply(lane, qRows, hd, dm, g, gb, dm, 1, wo, base(wO, m), hd, 1, gz, 0, hd, false);
        cx.gemm.multiply(lane, dm, hd, qRows, g, gb, 1, dm, z, zb, hd, 1, go, base(dWO, m), hd, true);
        cx.forRange(lane, batch, 64, (long) heads * tq * t * dh * 4, (from, to, w) -> {
            for (int e = from; e < to; e++) {
                mixBackward(e, gz, q, qb, k, kb, v, vb, pat, pb, grads, t, tq, heads, dh, scale);
            }
        });
    }

    /** Adds the gradients of q, k, v for one example, from the gradient of z, into {@code grads}. */
    private static void mixBackward(int e, float[] dz, float[] q, int qb, float[] k, int kb, float[] v, int vb,
                                    float[] pat, int pb, MixGrads grads, int t, int tq, int heads, int dh, float scale) {
        int hd = heads * dh, firstQuery = t - tq;
        float[] dq = grads.dq(), dk = grads.dk(), dv = grads.dv();
        for (int qi = 0; qi < tq; qi++) {
            int p = firstQuery + qi;
            int zRow = (e * tq + qi) * hd;
            for (int h = 0; h < heads; h++) {
                int row = pb + ((e * heads + h) * tq + qi) * t;
                int dzh = zRow + h * dh;
                // dPattern[kj] = dz . v[kj] (recomputed below rather than stored: Dh multiply-adds)
                // softmax backward: dScore = pattern * (dPattern - sum_kj pattern dPattern)
                float dot = 0;
                for (int kj = 0; kj <= p; kj++) {
                    int dvRow = grads.dvBase() + (e * t + kj) * grads.dvStride() + h * dh;
                    float pw = pat[row + kj];
                    for (int i = 0; i < dh; i++) {
                        dv[dvRow + i] += pw * dz[dzh + i];
                    }
                    dot += pw * dPattern(dz, dzh, v, vb + (e * t + kj) * hd + h * dh, dh);
                }
                int qRow = qb + (e * tq + qi) * hd + h * dh;
                int dqRow = grads.dqBase() + (e * tq + qi) * hd + h * dh;
                for (int kj = 0; kj <= p; kj++) {
                    int kRow = kb + (e * t + kj) * hd + h * dh;
                    float dP = dPattern(dz, dzh, v, vb + (e * t + kj) * hd + h * dh, dh);
                    float dScore = pat[row + kj] * (dP - dot) * scale;
                    int dkRow = grads.dkBase() + (e * t + kj) * grads.dkStride() + h * dh;
                    for (int i = 0; i < dh; i++) {
                        dq[dqRow + i] += dScore * k[kRow + i];
                        dk[dkRow + i] += dScore * q[qRow + i];
                    }
                }
            }
        }
    }

    private static float dPattern(float[] dz, int dzh, float[] v, int vRow, int dh) {
        return dot(dz, dzh, v, vRow, dh);
    }

    /**
     * a . b over n elements with four running sums: one sum is a chain of dependent adds that the
     * JIT may not reorder (float addition is not associative), four let the adds overlap.
     */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i <= n - 4; i += 4) {
            s0 += a[ao + i] * b[bo + i];
            s1 += a[ao + i + 1] * b[bo + i + 1];
            s2 += a[ao + i + 2] * b[bo + i + 2];
            s3 += a[ao + i + 3] * b[bo + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[ao + i] * b[bo + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
