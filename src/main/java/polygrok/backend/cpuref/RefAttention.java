package polygrok.backend.cpuref;

import static polygrok.backend.cpuref.RefTensors.base;
import static polygrok.backend.cpuref.RefTensors.doubles;

import polygrok.backend.AttentionSaved;
import polygrok.tensor.Tensor;

/** Causal multi-head attention in float64, one model, example and head at a time. */
final class RefAttention {
    private RefAttention() {
    }

    static void forward(Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO, boolean lastOnly,
                        AttentionSaved saved, Tensor out) {
        double[] xa = doubles(x), q = doubles(saved.q()), k = doubles(saved.k()), v = doubles(saved.v());
        double[] wq = doubles(wQ), wk = doubles(wK), wv = doubles(wV);
        int batch = x.dim(1), t = x.dim(2), dm = x.dim(3), heads = wQ.dim(1), dh = wQ.dim(2);
        int tq = lastOnly ? 1 : t, firstQuery = t - tq;
        for (int m = 0; m < x.models(); m++) {
            for (int e = 0; e < batch; e++) {
                int xRow = base(x, m) + e * t * dm;
                // k, v [T, H, Dh]; q [Tq, H, Dh]
                for (int p = 0; p < t; p++) {
                    for (int h = 0; h < heads; h++) {
                        for (int i = 0; i < dh; i++) {
                            double sk = 0, sv = 0;
                            for (int j = 0; j < dm; j++) {
                                sk += wk[base(wK, m) + (h * dh + i) * dm + j] * xa[xRow + p * dm + j];
                                sv += wv[base(wV, m) + (h * dh + i) * dm + j] * xa[xRow + p * dm + j];
                            }
                            k[base(saved.k(), m) + ((e * t + p) * heads + h) * dh + i] = sk;
                            v[base(saved.v(), m) + ((e * t + p) * heads + h) * dh + i] = sv;
                        }
                    }
                }
                for (int qi = 0; qi < tq; qi++) {
                    int p = firstQuery + qi;
                    for (int h = 0; h < heads; h++) {
                        for (int i = 0; i < dh; i++) {
                            double s = 0;
                            for (int j = 0; j < dm; j++) {
                                s += wq[base(wQ, m) + (h * dh + i) * dm + j] * xa[xRow + p * dm + j];
                            }
                            q[base(saved.q(), m) + ((e * tq + qi) * heads + h) * dh + i] = s;
                        }
                    }
                }
            }
        }
        coreForward(wO, lastOnly, saved, out);
    }

    /** Scores, causal softmax, mix and W_O from saved.q, .k, .v (shapes in {@link AttentionSaved}). */
    static void coreForward(Tensor wO, boolean lastOnly, AttentionSaved saved, Tensor out) {
        double[] q = doubles(saved.q()), k = doubles(saved.k()), v = doubles(saved.v()), pat = doubles(saved.pattern()), z = doubles(saved.z());
        double[] wo = doubles(wO), o = doubles(out);
        int batch = saved.k().dim(1), t = saved.k().dim(2), heads = saved.k().dim(3), dh = saved.k().dim(4);
        int dm = wO.dim(1), tq = lastOnly ? 1 : t, firstQuery = t - tq, hd = heads * dh;
        double scale = 1 / Math.sqrt(dh);
        for (int m = 0; m < saved.k().models(); m++) {
            for (int e = 0; e < batch; e++) {
                // pattern [H, Tq, T], causal: key positions 0..p
                for (int h = 0; h < heads; h++) {
                    for (int qi = 0; qi < tq; qi++) {
                        int p = firstQuery + qi;
                        int row = base(saved.pattern(), m) + ((e * heads + h) * tq + qi) * t;
                        double max = Double.NEGATIVE_INFINITY;
                        double[] scores = new double[t];
                        for (int kj = 0; kj <= p; kj++) {
                            double s = 0;
                            for (int i = 0; i < dh; i++) {
                                s += q[base(saved.q(), m) + ((e * tq + qi) * heads + h) * dh + i]
                                        * k[base(saved.k(), m) + ((e * t + kj) * heads + h) * dh + i];
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
                    int zRow = base(saved.z(), m) + (e * tq + qi) * hd;
                    for (int h = 0; h < heads; h++) {
                        int row = base(saved.pattern(), m) + ((e * heads + h) * tq + qi) * t;
                        for (int i = 0; i < dh; i++) {
                            double s = 0;
                            for (int kj = 0; kj < t; kj++) {
                                s += pat[row + kj] * v[base(saved.v(), m) + ((e * t + kj) * heads + h) * dh + i];
                            }
                            z[zRow + h * dh + i] = s;
                        }
                    }
                    for (int r = 0; r < dm; r++) {
                        double s = 0;
                        for (int j = 0; j < hd; j++) {
                            s += wo[base(wO, m) + r * hd + j] * z[zRow + j];
                        }
                        o[base(out, m) + (e * tq + qi) * dm + r] = s;
                    }
                }
            }
        }
    }

    static void backward(Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO, boolean lastOnly,
                         AttentionSaved saved, Tensor dOut,
                         Tensor dX, Tensor dWQ, Tensor dWK, Tensor dWV, Tensor dWO) {
        Tensor dQ = RefTensors.packedZeros(saved.q().shape()), dK = RefTensors.packedZeros(saved.k().shape());
        Tensor dV = RefTensors.packedZeros(saved.v().shape());
        coreBackward(wO, lastOnly, saved, dOut, dQ, dK, dV, dWO);
        double[] xa = doubles(x), wq = doubles(wQ), wk = doubles(wK), wv = doubles(wV), dq = doubles(dQ), dk = doubles(dK), dv = doubles(dV);
        double[] gx = doubles(dX), gq = doubles(dWQ), gk = doubles(dWK), gv = doubles(dWV);
        int batch = x.dim(1), t = x.dim(2), dm = x.dim(3), heads = wQ.dim(1), dh = wQ.dim(2);
        int tq = lastOnly ? 1 : t, firstQuery = t - tq, hd = heads * dh;
        for (int m = 0; m < x.models(); m++) {
            for (int e = 0; e < batch; e++) {
                int xRow = base(x, m) + e * t * dm;
                // projections: q = W_Q x_p, k = W_K x, v = W_V x
                for (int qi = 0; qi < tq; qi++) {
                    int p = firstQuery + qi;
                    project(dq, base(dQ, m) + (e * tq + qi) * hd, wq, base(wQ, m), gq, base(dWQ, m), xa, xRow + p * dm,
                            gx, base(dX, m) + (e * t + p) * dm, hd, dm);
                }
                for (int p = 0; p < t; p++) {
                    int row = (e * t + p) * hd;
                    project(dk, base(dK, m) + row, wk, base(wK, m), gk, base(dWK, m), xa, xRow + p * dm, gx, base(dX, m) + (e * t + p) * dm, hd, dm);
                    project(dv, base(dV, m) + row, wv, base(wV, m), gv, base(dWV, m), xa, xRow + p * dm, gx, base(dX, m) + (e * t + p) * dm, hd, dm);
                }
            }
        }
    }

    /** Backward of {@link #coreForward}: adds into dQ, dK, dV (shaped as saved.q, .k, .v) and dW_O. */
    static void coreBackward(Tensor wO, boolean lastOnly, AttentionSaved saved, Tensor dOut,
                             Tensor dQ, Tensor dK, Tensor dV, Tensor dWO) {
        double[] q = doubles(saved.q()), k = doubles(saved.k()), v = doubles(saved.v()), pat = doubles(saved.pattern()), z = doubles(saved.z());
        double[] wo = doubles(wO), g = doubles(dOut), dq = doubles(dQ), dk = doubles(dK), dv = doubles(dV), go = doubles(dWO);
        int batch = saved.k().dim(1), t = saved.k().dim(2), heads = saved.k().dim(3), dh = saved.k().dim(4);
        int dm = wO.dim(1), tq = lastOnly ? 1 : t, firstQuery = t - tq, hd = heads * dh;
        double scale = 1 / Math.sqrt(dh);
        for (int m = 0; m < saved.k().models(); m++) {
            for (int e = 0; e < batch; e++) {
                int qBase = base(dQ, m) + e * tq * hd, kBase = base(dK, m) + e * t * hd, vBase = base(dV, m) + e * t * hd;
                for (int qi = 0; qi < tq; qi++) {
                    int p = firstQuery + qi;
                    int zRow = base(saved.z(), m) + (e * tq + qi) * hd, gRow = base(dOut, m) + (e * tq + qi) * dm;
                    // out = W_O z
                    double[] dz = new double[hd];
                    for (int r = 0; r < dm; r++) {
                        double gr = g[gRow + r];
                        for (int j = 0; j < hd; j++) {
                            dz[j] += gr * wo[base(wO, m) + r * hd + j];
                            go[base(dWO, m) + r * hd + j] += gr * z[zRow + j];
                        }
                    }
                    for (int h = 0; h < heads; h++) {
                        int row = base(saved.pattern(), m) + ((e * heads + h) * tq + qi) * t;
                        // z = sum_kj pattern v
                        double[] dPattern = new double[t];
                        for (int kj = 0; kj <= p; kj++) {
                            for (int i = 0; i < dh; i++) {
                                dPattern[kj] += dz[h * dh + i] * v[base(saved.v(), m) + ((e * t + kj) * heads + h) * dh + i];
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
                                dq[qBase + qi * hd + h * dh + i] += dScore * k[base(saved.k(), m) + ((e * t + kj) * heads + h) * dh + i];
                                dk[kBase + kj * hd + h * dh + i] += dScore * q[base(saved.q(), m) + ((e * tq + qi) * heads + h) * dh + i];
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
