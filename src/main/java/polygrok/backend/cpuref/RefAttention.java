package polygrok.backend.cpuref;

import static polygrok.backend.cpuref.CpuRefBackend.b;
import static polygrok.backend.cpuref.CpuRefBackend.d;

import polygrok.backend.AttentionSaved;
import polygrok.tensor.Tensor;

/** Causal multi-head attention in float64, one model, example and head at a time. */
final class RefAttention {
    private RefAttention() {
    }

    static void forward(Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO, boolean lastOnly,
                        AttentionSaved saved, Tensor out) {
        double[] xa = d(x), q = d(saved.q()), k = d(saved.k()), v = d(saved.v());
        double[] wq = d(wQ), wk = d(wK), wv = d(wV);
        int batch = x.dim(1), t = x.dim(2), dm = x.dim(3), heads = wQ.dim(1), dh = wQ.dim(2);
        int tq = lastOnly ? 1 : t, firstQuery = t - tq;
        for (int m = 0; m < x.models(); m++) {
            for (int e = 0; e < batch; e++) {
                int xRow = b(x, m) + e * t * dm;
                // k, v [T, H, Dh]; q [Tq, H, Dh]
                for (int p = 0; p < t; p++) {
                    for (int h = 0; h < heads; h++) {
                        for (int i = 0; i < dh; i++) {
                            double sk = 0, sv = 0;
                            for (int j = 0; j < dm; j++) {
                                sk += wk[b(wK, m) + (h * dh + i) * dm + j] * xa[xRow + p * dm + j];
                                sv += wv[b(wV, m) + (h * dh + i) * dm + j] * xa[xRow + p * dm + j];
                            }
                            k[b(saved.k(), m) + ((e * t + p) * heads + h) * dh + i] = sk;
                            v[b(saved.v(), m) + ((e * t + p) * heads + h) * dh + i] = sv;
                        }
                    }
                }
                for (int qi = 0; qi < tq; qi++) {
                    int p = firstQuery + qi;
                    for (int h = 0; h < heads; h++) {
                        for (int i = 0; i < dh; i++) {
                            double s = 0;
                            for (int j = 0; j < dm; j++) {
                                s += wq[b(wQ, m) + (h * dh + i) * dm + j] * xa[xRow + p * dm + j];
                            }
                            q[b(saved.q(), m) + ((e * tq + qi) * heads + h) * dh + i] = s;
                        }
                    }
                }
            }
        }
        coreForward(wO, lastOnly, saved, out);
    }

    /** Scores, causal softmax, mix and W_O from saved.q, .k, .v (shapes in {@link AttentionSaved}). */
    static void coreForward(Tensor wO, boolean lastOnly, AttentionSaved saved, Tensor out) {
        double[] q = d(saved.q()), k = d(saved.k()), v = d(saved.v()), pat = d(saved.pattern()), z = d(saved.z());
        double[] wo = d(wO), o = d(out);
        int batch = saved.k().dim(1), t = saved.k().dim(2), heads = saved.k().dim(3), dh = saved.k().dim(4);
        int dm = wO.dim(1), tq = lastOnly ? 1 : t, firstQuery = t - tq, hd = heads * dh;
        double scale = 1 / Math.sqrt(dh);
        for (int m = 0; m < saved.k().models(); m++) {
            for (int e = 0; e < batch; e++) {
                // pattern [H, Tq, T], causal: key positions 0..p
                for (int h = 0; h < heads; h++) {
                    for (int qi = 0; qi < tq; qi++) {
                        int p = firstQuery + qi;
                        int row = b(saved.pattern(), m) + ((e * heads + h) * tq + qi) * t;
                        double max = Double.NEGATIVE_INFINITY;
                        double[] scores = new double[t];
                        for (int kj = 0; kj <= p; kj++) {
                            double s = 0;
                            for (int i = 0; i < dh; i++) {
                                s += q[b(saved.q(), m) + ((e * tq + qi) * heads + h) * dh + i]
                                        * k[b(saved.k(), m) + ((e * t + kj) * heads + h) * dh + i];
                            }
                            scores[kj] = s * scale;
                            max = Math.max(max, scores[kj]);
                        }
                        double sum = 0;
                        for (int kj = 0; kj <= p; kj++) {
                            scores[kj] = Math.exp(scores[kj] - max);
                            sum += scores[kj];
                        }
                        for (int kj = 0; kj < t; kj++) {
                            pat[row + kj] = kj <= p ? scores[kj] / sum : 0;
                        }
                    }
                }
                // z [Tq, H*Dh], out [Tq, D]
                for (int qi = 0; qi < tq; qi++) {
                    int zRow = b(saved.z(), m) + (e * tq + qi) * hd;
                    for (int h = 0; h < heads; h++) {
                        int row = b(saved.pattern(), m) + ((e * heads + h) * tq + qi) * t;
                        for (int i = 0; i < dh; i++) {
                            double s = 0;
                            for (int kj = 0; kj < t; kj++) {
                                s += pat[row + kj] * v[b(saved.v(), m) + ((e * t + kj) * heads + h) * dh + i];
                            }
                            z[zRow + h * dh + i] = s;
                        }
                    }
                    for (int r = 0; r < dm; r++) {
                        double s = 0;
                        for (int j = 0; j < hd; j++) {
                            s += wo[b(wO, m) + r * hd + j] * z[zRow + j];
                        }
                        o[b(out, m) + (e * tq + qi) * dm + r] = s;
                    }
                }
            }
        }
    }

    static void backward(Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO, boolean lastOnly,
                         AttentionSaved saved, Tensor dOut,
                         Tensor dX, Tensor dWQ, Tensor dWK, Tensor dWV, Tensor dWO) {
        Tensor dQ = CpuRefBackend.packedZeros(saved.q().shape()), dK = CpuRefBackend.packedZeros(saved.k().shape());
        Tensor dV = CpuRefBackend.packedZeros(saved.v().shape());
        coreBackward(wO, lastOnly, saved, dOut, dQ, dK, dV, dWO);
        double[] xa = d(x), wq = d(wQ), wk = d(wK), wv = d(wV), dq = d(dQ), dk = d(dK), dv = d(dV);
        double[] gx = d(dX), gq = d(dWQ), gk = d(dWK), gv = d(dWV);
        int batch = x.dim(1), t = x.dim(2), dm = x.dim(3), heads = wQ.dim(1), dh = wQ.dim(2);
        int tq = lastOnly ? 1 : t, firstQuery = t - tq, hd = heads * dh;
        for (int m = 0; m < x.models(); m++) {
            for (int e = 0; e < batch; e++) {
                int xRow = b(x, m) + e * t * dm;
                // projections: q = W_Q x_p, k = W_K x, v = W_V x
                for (int qi = 0; qi < tq; qi++) {
                    int p = firstQuery + qi;
                    project(dq, b(dQ, m) + (e * tq + qi) * hd, wq, b(wQ, m), gq, b(dWQ, m), xa, xRow + p * dm,
                            gx, b(dX, m) + (e * t + p) * dm, hd, dm);
                }
                for (int p = 0; p < t; p++) {
                    int row = (e * t + p) * hd;
                    project(dk, b(dK, m) + row, wk, b(wK, m), gk, b(dWK, m), xa, xRow + p * dm, gx, b(dX, m) + (e * t + p) * dm, hd, dm);
                    project(dv, b(dV, m) + row, wv, b(wV, m), gv, b(dWV, m), xa, xRow + p * dm, gx, b(dX, m) + (e * t + p) * dm, hd, dm);
                }
            }
        }
    }

    /** Backward of {@link #coreForward}: adds into dQ, dK, dV (shaped as saved.q, .k, .v) and dW_O. */
    static void coreBackward(Tensor wO, boolean lastOnly, AttentionSaved saved, Tensor dOut,
                             Tensor dQ, Tensor dK, Tensor dV, Tensor dWO) {
        double[] q = d(saved.q()), k = d(saved.k()), v = d(saved.v()), pat = d(saved.pattern()), z = d(saved.z());
        double[] wo = d(wO), g = d(dOut), dq = d(dQ), dk = d(dK), dv = d(dV), go = d(dWO);
        int batch = saved.k().dim(1), t = saved.k().dim(2), heads = saved.k().dim(3), dh = saved.k().dim(4);
        int dm = wO.dim(1), tq = lastOnly ? 1 : t, firstQuery = t - tq, hd = heads * dh;
        double scale = 1 / Math.sqrt(dh);
        for (int m = 0; m < saved.k().models(); m++) {
            for (int e = 0; e < batch; e++) {
                int qBase = b(dQ, m) + e * tq * hd, kBase = b(dK, m) + e * t * hd, vBase = b(dV, m) + e * t * hd;
                for (int qi = 0; qi < tq; qi++) {
                    int p = firstQuery + qi;
                    int zRow = b(saved.z(), m) + (e * tq + qi) * hd, gRow = b(dOut, m) + (e * tq + qi) * dm;
                    // out = W_O z
                    double[] dz = new double[hd];
                    for (int r = 0; r < dm; r++) {
                        double gr = g[gRow + r];
                        for (int j = 0; j < hd; j++) {
                            dz[j] += gr * wo[b(wO, m) + r * hd + j];
                            go[b(dWO, m) + r * hd + j] += gr * z[zRow + j];
                        }
                    }
                    for (int h = 0; h < heads; h++) {
                        int row = b(saved.pattern(), m) + ((e * heads + h) * tq + qi) * t;
                        // z = sum_kj pattern v
                        double[] dPattern = new double[t];
                        for (int kj = 0; kj <= p; kj++) {
                            for (int i = 0; i < dh; i++) {
                                dPattern[kj] += dz[h * dh + i] * v[b(saved.v(), m) + ((e * t + kj) * heads + h) * dh + i];
                                dv[vBase + kj * hd + h * dh + i] += pat[row + kj] * dz[h * dh + i];
                            }
                        }
                        // softmax backward
                        double dot = 0;
                        for (int kj = 0; kj <= p; kj++) {
                            dot += pat[row + kj] * dPattern[kj];
                        }
                        for (int kj = 0; kj <= p; kj++) {
                            double dScore = pat[row + kj] * (dPattern[kj] - dot) * scale;
                            for (int i = 0; i < dh; i++) {
                                dq[qBase + qi * hd + h * dh + i] += dScore * k[b(saved.k(), m) + ((e * t + kj) * heads + h) * dh + i];
                                dk[kBase + kj * hd + h * dh + i] += dScore * q[b(saved.q(), m) + ((e * tq + qi) * heads + h) * dh + i];
                            }
                        }
                    }
                }
            }
        }
    }

    /** Backward of y = W x for one position: dW += dy x^T, dx += W^T dy. */
    private static void project(double[] dy, int dyOff, double[] w, int wOff, double[] dw, int dwOff,
                                double[] x, int xOff, double[] dx, int dxOff, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            double gr = dy[dyOff + r];
            if (gr == 0) {
                continue;
            }
            for (int c = 0; c < cols; c++) {
                dw[dwOff + r * cols + c] += gr * x[xOff + c];
                dx[dxOff + c] += gr * w[wOff + r * cols + c];
            }
        }
    }
}
