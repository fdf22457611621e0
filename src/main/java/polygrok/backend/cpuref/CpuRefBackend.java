package polygrok.backend.cpuref;

import polygrok.backend.Activation;
import polygrok.backend.AdamWSettings;
import polygrok.backend.AttentionSaved;
import polygrok.backend.Backend;
import polygrok.backend.WeightLayout;
import polygrok.tensor.DType;
import polygrok.tensor.DoubleStorage;
import polygrok.tensor.IntStorage;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * The float64 reference: plain loops written to be read, one model and one example at a time.
 * Every other backend is tested against this one, and finite-difference gradient checks run on it.
 * Speed is not a goal here; clarity is.
 */
public final class CpuRefBackend implements Backend {

    @Override
    public String name() {
        return "cpuref";
    }

    @Override
    public DType dtype() {
        return DType.F64;
    }

    static double[] d(Tensor t) {
        if (!(t.storage() instanceof DoubleStorage s)) {
            throw new IllegalArgumentException("cpuref needs float64 heap tensors, got " + t);
        }
        return s.data;
    }

    static int[] i(Tensor t) {
        if (!(t.storage() instanceof IntStorage s)) {
            throw new IllegalArgumentException("cpuref needs I32 heap tensors here, got " + t);
        }
        return s.data;
    }

    static int b(Tensor t, int m) {
        return (int) t.base(m);
    }

    // ---- memory -------------------------------------------------------------------------------

    @Override
    public Tensor zeros(Shape shape) {
        return packedZeros(shape);
    }

    /** A packed float64 tensor of zeros: {@link #zeros} for the static helpers of this package. */
    static Tensor packedZeros(Shape shape) {
        return new Tensor(new DoubleStorage(shape.size()), 0, shape);
    }

    @Override
    public Tensor ints(Shape shape, int[] values) {
        return polygrok.backend.HeapInts.of(shape, values);
    }

    @Override
    public void upload(Tensor dst, double[] values) {
        if (values.length != dst.size()) {
            throw new IllegalArgumentException(values.length + " values for " + dst);
        }
        double[] a = d(dst);
        long per = dst.perModel();
        for (int m = 0; m < dst.models(); m++) {
            System.arraycopy(values, (int) (m * per), a, b(dst, m), (int) per);
        }
    }

    @Override
    public void uploadInts(Tensor dst, int[] values) {
        polygrok.backend.HeapInts.upload(dst, values);
    }

    @Override
    public double[] toDoubles(Tensor t) {
        long per = t.perModel();
        double[] out = new double[(int) t.size()];
        if (t.storage() instanceof IntStorage) {
            return polygrok.backend.HeapInts.readAsDoubles(t);
        }
        double[] a = d(t);
        for (int m = 0; m < t.models(); m++) {
            System.arraycopy(a, b(t, m), out, (int) (m * per), (int) per);
        }
        return out;
    }

    @Override
    public int[] toInts(Tensor t) {
        return polygrok.backend.HeapInts.read(t);
    }

    @Override
    public void fill(Tensor t, double value) {
        double[] a = d(t);
        for (int m = 0; m < t.models(); m++) {
            java.util.Arrays.fill(a, b(t, m), b(t, m) + (int) t.perModel(), value);
        }
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        sameShape(src, dst);
        double[] s = d(src), o = d(dst);
        for (int m = 0; m < src.models(); m++) {
            System.arraycopy(s, b(src, m), o, b(dst, m), (int) src.perModel());
        }
    }

    @Override
    public void add(Tensor x, Tensor y, Tensor out) {
        sameShape(x, y);
        sameShape(x, out);
        double[] a = d(x), c = d(y), o = d(out);
        for (int m = 0; m < x.models(); m++) {
            for (int j = 0; j < x.perModel(); j++) {
                o[b(out, m) + j] = a[b(x, m) + j] + c[b(y, m) + j];
            }
        }
    }

    static void sameShape(Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException("shape mismatch: " + a.shape() + " vs " + b.shape());
        }
    }

    // ---- embedding ----------------------------------------------------------------------------

    @Override
    public void embedForward(Tensor wE, Tensor tokens, Tensor out) {
        double[] w = d(wE), o = d(out);
        int[] tok = i(tokens);
        int dm = wE.dim(1), vocab = wE.dim(2), n = (int) tokens.perModel();
        for (int m = 0; m < out.models(); m++) {
            for (int e = 0; e < n; e++) {
                int token = tok[b(tokens, m) + e];
                checkToken(token, vocab);
                for (int j = 0; j < dm; j++) {
                    o[b(out, m) + e * dm + j] = w[b(wE, m) + j * vocab + token];
                }
            }
        }
    }

    static void checkToken(int token, int vocab) {
        if (token < 0 || token >= vocab) {
            throw new IllegalArgumentException("token " + token + " outside the vocabulary [0, " + vocab + ")");
        }
    }

    @Override
    public void embedBackward(Tensor dOut, Tensor tokens, Tensor dWE) {
        double[] g = d(dOut), w = d(dWE);
        int[] tok = i(tokens);
        int dm = dWE.dim(1), vocab = dWE.dim(2), n = (int) tokens.perModel();
        for (int m = 0; m < dOut.models(); m++) {
            for (int e = 0; e < n; e++) {
                int token = tok[b(tokens, m) + e];
                for (int j = 0; j < dm; j++) {
                    w[b(dWE, m) + j * vocab + token] += g[b(dOut, m) + e * dm + j];
                }
            }
        }
    }

    @Override
    public void positionalForward(Tensor wPos, Tensor x) {
        double[] w = d(wPos), a = d(x);
        int batch = x.dim(1), t = x.dim(2), dm = x.dim(3);
        for (int m = 0; m < x.models(); m++) {
            for (int e = 0; e < batch; e++) {
                for (int p = 0; p < t; p++) {
                    for (int j = 0; j < dm; j++) {
                        a[b(x, m) + (e * t + p) * dm + j] += w[b(wPos, m) + p * dm + j];
                    }
                }
            }
        }
    }

    @Override
    public void positionalBackward(Tensor dX, Tensor dWPos) {
        double[] g = d(dX), w = d(dWPos);
        int batch = dX.dim(1), t = dX.dim(2), dm = dX.dim(3);
        for (int m = 0; m < dX.models(); m++) {
            for (int e = 0; e < batch; e++) {
                for (int p = 0; p < t; p++) {
                    for (int j = 0; j < dm; j++) {
                        w[b(dWPos, m) + p * dm + j] += g[b(dX, m) + (e * t + p) * dm + j];
                    }
                }
            }
        }
    }

    // ---- attention ----------------------------------------------------------------------------

    @Override
    public void attentionForward(Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO, boolean lastOnly,
                                 AttentionSaved saved, Tensor out) {
        RefAttention.forward(x, wQ, wK, wV, wO, lastOnly, saved, out);
    }

    @Override
    public void attentionBackward(Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO, boolean lastOnly,
                                  AttentionSaved saved, Tensor dOut,
                                  Tensor dX, Tensor dWQ, Tensor dWK, Tensor dWV, Tensor dWO) {
        RefAttention.backward(x, wQ, wK, wV, wO, lastOnly, saved, dOut, dX, dWQ, dWK, dWV, dWO);
    }

    @Override
    public void attentionCoreForward(Tensor wO, boolean lastOnly, AttentionSaved saved, Tensor out) {
        RefAttention.coreForward(wO, lastOnly, saved, out);
    }

    @Override
    public void attentionCoreBackward(Tensor wO, boolean lastOnly, AttentionSaved saved, Tensor dOut,
                                      Tensor dQ, Tensor dK, Tensor dV, Tensor dWO) {
        RefAttention.coreBackward(wO, lastOnly, saved, dOut, dQ, dK, dV, dWO);
    }

    // ---- MLP, linear, activations -------------------------------------------------------------

    @Override
    public void mlpForward(Tensor x, Tensor wIn, Tensor wOut, Activation act, Tensor pre, Tensor out) {
        linearForward(x, wIn, WeightLayout.OUT_IN, pre);
        Tensor hidden = zeros(pre.shape());
        activationForward(act, pre, hidden);
        linearForward(hidden, wOut, WeightLayout.OUT_IN, out);
    }

    @Override
    public void mlpBackward(Tensor x, Tensor wIn, Tensor wOut, Activation act, Tensor pre, Tensor dOut,
                            Tensor dX, Tensor dWIn, Tensor dWOut) {
        Tensor hidden = zeros(pre.shape());
        activationForward(act, pre, hidden);
        Tensor dHidden = zeros(pre.shape());
        linearBackward(hidden, wOut, WeightLayout.OUT_IN, dOut, dHidden, dWOut);
        Tensor dPre = zeros(pre.shape());
        activationBackward(act, pre, dHidden, dPre);
        linearBackward(x, wIn, WeightLayout.OUT_IN, dPre, dX, dWIn);
    }

    @Override
    public void linearForward(Tensor x, Tensor w, WeightLayout layout, Tensor y) {
        double[] a = d(x), ww = d(w), o = d(y);
        int n = x.dim(1), in = x.dim(2), outDim = y.dim(2);
        for (int m = 0; m < x.models(); m++) {
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < outDim; c++) {
                    double s = 0;
                    for (int k = 0; k < in; k++) {
                        s += a[b(x, m) + r * in + k] * ww[b(w, m) + weightIndex(layout, c, k, in, outDim)];
                    }
                    o[b(y, m) + r * outDim + c] = s;
                }
            }
        }
    }

    /** Index of the weight connecting input k to output c. */
    static int weightIndex(WeightLayout layout, int c, int k, int in, int out) {
        return layout == WeightLayout.OUT_IN ? c * in + k : k * out + c;
    }

    @Override
    public void linearBackward(Tensor x, Tensor w, WeightLayout layout, Tensor dY, Tensor dX, Tensor dW) {
        double[] a = d(x), ww = d(w), g = d(dY), gx = d(dX), gw = d(dW);
        int n = x.dim(1), in = x.dim(2), outDim = dY.dim(2);
        for (int m = 0; m < x.models(); m++) {
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < outDim; c++) {
                    double gy = g[b(dY, m) + r * outDim + c];
                    for (int k = 0; k < in; k++) {
                        int wi = weightIndex(layout, c, k, in, outDim);
                        gx[b(dX, m) + r * in + k] += gy * ww[b(w, m) + wi];
                        gw[b(dW, m) + wi] += gy * a[b(x, m) + r * in + k];
                    }
                }
            }
        }
    }

    @Override
    public void activationForward(Activation act, Tensor x, Tensor out) {
        sameShape(x, out);
        double[] a = d(x), o = d(out);
        for (int m = 0; m < x.models(); m++) {
            for (int j = 0; j < x.perModel(); j++) {
                o[b(out, m) + j] = Activations.value(act, a[b(x, m) + j]);
            }
        }
    }

    @Override
    public void activationBackward(Activation act, Tensor x, Tensor dOut, Tensor dX) {
        double[] a = d(x), g = d(dOut), gx = d(dX);
        for (int m = 0; m < x.models(); m++) {
            for (int j = 0; j < x.perModel(); j++) {
                gx[b(dX, m) + j] += Activations.derivative(act, a[b(x, m) + j]) * g[b(dOut, m) + j];
            }
        }
    }

    @Override
    public void layerNormForward(Tensor x, Tensor w, Tensor bias, double eps, Tensor mean, Tensor rstd, Tensor out) {
        double[] a = d(x), ww = d(w), bb = d(bias), mu = d(mean), rs = d(rstd), o = d(out);
        int n = x.dim(1), dm = x.dim(2);
        for (int m = 0; m < x.models(); m++) {
            for (int r = 0; r < n; r++) {
                int row = b(x, m) + r * dm;
                double s = 0;
                for (int j = 0; j < dm; j++) {
                    s += a[row + j];
                }
                double mn = s / dm, var = 0;
                for (int j = 0; j < dm; j++) {
                    var += (a[row + j] - mn) * (a[row + j] - mn);
                }
                double r1 = 1 / Math.sqrt(var / dm + eps);
                mu[b(mean, m) + r] = mn;
                rs[b(rstd, m) + r] = r1;
                for (int j = 0; j < dm; j++) {
                    o[b(out, m) + r * dm + j] = (a[row + j] - mn) * r1 * ww[b(w, m) + j] + bb[b(bias, m) + j];
                }
            }
        }
    }

    @Override
    public void layerNormBackward(Tensor x, Tensor w, Tensor mean, Tensor rstd, Tensor dOut, Tensor dX, Tensor dW, Tensor dB) {
        double[] a = d(x), ww = d(w), mu = d(mean), rs = d(rstd), g = d(dOut), gx = d(dX), gw = d(dW), gb = d(dB);
        int n = x.dim(1), dm = x.dim(2);
        for (int m = 0; m < x.models(); m++) {
            for (int r = 0; r < n; r++) {
                int row = b(x, m) + r * dm, grow = b(dOut, m) + r * dm;
                double mn = mu[b(mean, m) + r], r1 = rs[b(rstd, m) + r];
                double sumG = 0, sumGX = 0;
                for (int j = 0; j < dm; j++) {
                    double xhat = (a[row + j] - mn) * r1;
                    double gxhat = g[grow + j] * ww[b(w, m) + j];
                    gw[b(dW, m) + j] += g[grow + j] * xhat;
                    gb[b(dB, m) + j] += g[grow + j];
                    sumG += gxhat;
                    sumGX += gxhat * xhat;
                }
                for (int j = 0; j < dm; j++) {
                    double xhat = (a[row + j] - mn) * r1;
                    double gxhat = g[grow + j] * ww[b(w, m) + j];
                    gx[b(dX, m) + r * dm + j] += r1 * (gxhat - sumG / dm - xhat * sumGX / dm);
                }
            }
        }
    }

    // ---- positions ----------------------------------------------------------------------------

    @Override
    public void lastPositionForward(Tensor x, Tensor out) {
        double[] a = d(x), o = d(out);
        int batch = x.dim(1), t = x.dim(2), dm = x.dim(3);
        for (int m = 0; m < x.models(); m++) {
            for (int e = 0; e < batch; e++) {
                System.arraycopy(a, b(x, m) + (e * t + t - 1) * dm, o, b(out, m) + e * dm, dm);
            }
        }
    }

    @Override
    public void lastPositionBackward(Tensor dOut, Tensor dX) {
        double[] g = d(dOut), gx = d(dX);
        int batch = dX.dim(1), t = dX.dim(2), dm = dX.dim(3);
        for (int m = 0; m < dX.models(); m++) {
            for (int e = 0; e < batch; e++) {
                for (int j = 0; j < dm; j++) {
                    gx[b(dX, m) + (e * t + t - 1) * dm + j] += g[b(dOut, m) + e * dm + j];
                }
            }
        }
    }

    @Override
    public void sumPositionsForward(Tensor x, Tensor out) {
        double[] a = d(x), o = d(out);
        int batch = x.dim(1), t = x.dim(2), dm = x.dim(3);
        for (int m = 0; m < x.models(); m++) {
            for (int e = 0; e < batch; e++) {
                for (int j = 0; j < dm; j++) {
                    double s = 0;
                    for (int p = 0; p < t; p++) {
                        s += a[b(x, m) + (e * t + p) * dm + j];
                    }
                    o[b(out, m) + e * dm + j] = s;
                }
            }
        }
    }

    @Override
    public void sumPositionsBackward(Tensor dOut, Tensor dX) {
        double[] g = d(dOut), gx = d(dX);
        int batch = dX.dim(1), t = dX.dim(2), dm = dX.dim(3);
        for (int m = 0; m < dX.models(); m++) {
            for (int e = 0; e < batch; e++) {
                for (int p = 0; p < t; p++) {
                    for (int j = 0; j < dm; j++) {
                        gx[b(dX, m) + (e * t + p) * dm + j] += g[b(dOut, m) + e * dm + j];
                    }
                }
            }
        }
    }

    // ---- loss and optimisation ----------------------------------------------------------------

    @Override
    public void crossEntropyForward(Tensor logits, Tensor labels, Tensor weights, Tensor perExample, Tensor loss) {
        double[] z = d(logits), w = d(weights), pe = d(perExample), l = d(loss);
        int[] y = i(labels);
        int batch = logits.dim(1), vocab = logits.dim(2);
        for (int m = 0; m < logits.models(); m++) {
            double total = 0;
            for (int e = 0; e < batch; e++) {
                int row = b(logits, m) + e * vocab;
                int label = y[b(labels, m) + e];
                checkToken(label, vocab);
                int argmax = 0;
                for (int c = 1; c < vocab; c++) {
                    if (z[row + c] > z[row + argmax]) {
                        argmax = c;
                    }
                }
                double max = z[row + argmax], sum = 0;
                for (int c = 0; c < vocab; c++) {
                    sum += Math.exp(z[row + c] - max);
                }
                double logSumExp = max + Math.log(sum);
                double ce = logSumExp - z[row + label];
                int o = b(perExample, m) + e * 3;
                pe[o] = ce;
                pe[o + 1] = Math.exp(-ce);
                pe[o + 2] = argmax == label ? 1 : 0;
                total += w[b(weights, m) + e] * ce;
            }
            l[b(loss, m)] = total;
        }
    }

    @Override
    public void crossEntropyBackward(Tensor logits, Tensor labels, Tensor weights, Tensor dLogits) {
        double[] z = d(logits), w = d(weights), g = d(dLogits);
        int[] y = i(labels);
        int batch = logits.dim(1), vocab = logits.dim(2);
        for (int m = 0; m < logits.models(); m++) {
            for (int e = 0; e < batch; e++) {
                int row = b(logits, m) + e * vocab, grow = b(dLogits, m) + e * vocab;
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int c = 0; c < vocab; c++) {
                    max = Math.max(max, z[row + c]);
                }
                for (int c = 0; c < vocab; c++) {
                    sum += Math.exp(z[row + c] - max);
                }
                double we = w[b(weights, m) + e];
                int label = y[b(labels, m) + e];
                for (int c = 0; c < vocab; c++) {
                    double softmax = Math.exp(z[row + c] - max) / sum;
                    g[grow + c] += we * (softmax - (c == label ? 1 : 0));
                }
            }
        }
    }

    @Override
    public void lpPenalty(Tensor params, Tensor trainable, double p, double alpha, Tensor grads, Tensor penalty) {
        double[] w = d(params), mask = d(trainable), g = d(grads), out = d(penalty);
        for (int m = 0; m < params.models(); m++) {
            double s = 0;
            for (int j = 0; j < params.perModel(); j++) {
                if (mask[b(trainable, 0) + j] == 0) {
                    continue;
                }
                double x = w[b(params, m) + j], ax = Math.abs(x);
                s += Math.pow(ax, p);
                g[b(grads, m) + j] += alpha * p * Math.pow(ax, p - 1) * Math.signum(x);
            }
            out[b(penalty, m)] = alpha * s;
        }
    }

    @Override
    public void parameterNorms(Tensor params, Tensor offsets, Tensor out) {
        double[] w = d(params), o = d(out);
        int[] at = polygrok.backend.HeapInts.data(offsets);
        int stretches = out.dim(1), ob = (int) offsets.base(0);
        for (int m = 0; m < params.models(); m++) {
            for (int s = 0; s < stretches; s++) {
                double l1 = 0, l2 = 0;
                for (int i = at[ob + s]; i < at[ob + s + 1]; i++) {
                    double x = w[b(params, m) + i];
                    l1 += Math.abs(x);
                    l2 += x * x;
                }
                o[b(out, m) + 2 * s] = l1;
                o[b(out, m) + 2 * s + 1] = Math.sqrt(l2);
            }
        }
    }

    @Override
    public void adamwStep(Tensor params, Tensor grads, Tensor mom1, Tensor mom2, AdamWSettings s) {
        double[] w = d(params), g = d(grads), m1 = d(mom1), m2 = d(mom2);
        double[] lr = d(s.lr()), wd = d(s.weightDecay()), step = d(s.step()), mask = d(s.trainable());
        for (int m = 0; m < params.models(); m++) {
            double t = step[b(s.step(), m)] + 1;
            double rate = lr[b(s.lr(), m)], decay = wd[b(s.weightDecay(), m)];
            double bc1 = 1 - Math.pow(s.beta1(), t), bc2 = 1 - Math.pow(s.beta2(), t);
            for (int j = 0; j < params.perModel(); j++) {
                if (mask[b(s.trainable(), 0) + j] == 0) {
                    continue;
                }
                int pi = b(params, m) + j, gi = b(grads, m) + j, mi = b(mom1, m) + j, vi = b(mom2, m) + j;
                w[pi] -= rate * decay * w[pi];
                m1[mi] = s.beta1() * m1[mi] + (1 - s.beta1()) * g[gi];
                m2[vi] = s.beta2() * m2[vi] + (1 - s.beta2()) * g[gi] * g[gi];
                double denom = Math.sqrt(m2[vi]) / Math.sqrt(bc2) + s.eps();
                w[pi] -= rate / bc1 * m1[mi] / denom;
            }
            step[b(s.step(), m)] = t;
        }
    }

    @Override
    public boolean hasGradFilter() {
        return true;
    }

    @Override
    public void gradFilter(Tensor grads, Tensor state, Tensor count, Tensor trainable, double alpha, double lambda, int window) {
        double[] g = d(grads), st = d(state), n = d(count), mask = d(trainable);
        int per = (int) grads.perModel();
        for (int m = 0; m < grads.models(); m++) {
            long calls = (long) n[b(count, m)];
            int gb = b(grads, m), sb = b(state, m), mb = b(trainable, 0);
            for (int j = 0; j < per; j++) {
                if (mask[mb + j] == 0) {
                    continue;
                }
                double gj = g[gb + j];
                if (window == 0) {
                    double mu = calls == 0 ? gj : alpha * st[sb + j] + (1 - alpha) * gj;
                    st[sb + j] = mu;
                    g[gb + j] = gj + lambda * mu;
                } else {
                    st[sb + (int) (calls % window) * per + j] = gj;
                    if (calls + 1 >= window) {
                        double sum = 0;
                        for (int k = 1; k <= window; k++) { // oldest first: the slot after this one, wrapping around
                            sum += st[sb + (int) ((calls + k) % window) * per + j];
                        }
                        g[gb + j] = gj + lambda * (sum / window);
                    }
                }
            }
            n[b(count, m)] = calls + 1;
        }
    }
}
