package polygrok.backend.cpu;

import static polygrok.backend.cpu.CpuContext.b;
import static polygrok.backend.cpu.CpuContext.f;
import static polygrok.backend.cpu.CpuContext.intData;

import polygrok.backend.Activation;
import polygrok.backend.AdamWSettings;
import polygrok.backend.AttentionSaved;
import polygrok.backend.Backend;
import polygrok.backend.WeightLayout;
import polygrok.tensor.DType;
import polygrok.tensor.FloatStorage;
import polygrok.tensor.IntStorage;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * The fast CPU backend: float32 tensors on the heap, work split over a fixed pool of threads
 * (within a model for big work; whole models side by side for a group of small ones, see
 * CpuContext.forModels) and matrix products on a register-blocked GEMM built on the Vector API
 * (scalar loops when the module is missing). Results are the same bits run after run and on any
 * thread count: every reduction has a fixed order. Workspaces are sized on first use and only grow.
 *
 * <p>Threads: -Dpolygrok.threads=N (default: available processors). -Dpolygrok.vector=false forces
 * the scalar kernel. One backend serves one calling thread at a time.
 */
public final class CpuBackend implements Backend {
    private final CpuContext cx;
    private final CpuMatmul matmul;
    private final CpuAttention attention;
    private final CpuEmbedding embedding;
    private final CpuLoss loss;
    private final CpuOptimiser optimiser;
    private final CpuLayerNorm layerNorm;

    /** Threads and kernel from the system properties polygrok.threads and polygrok.vector. */
    public CpuBackend() {
        this(defaultThreads(), TileKernels.vectorRequested());
    }

    public CpuBackend(int threads, boolean vector) {
        this.cx = new CpuContext(threads, vector);
        this.matmul = new CpuMatmul(cx);
        this.attention = new CpuAttention(cx);
        this.embedding = new CpuEmbedding(cx);
        this.loss = new CpuLoss(cx);
        this.optimiser = new CpuOptimiser(cx);
        this.layerNorm = new CpuLayerNorm(cx);
    }

    static int defaultThreads() {
        String s = System.getProperty("polygrok.threads");
        if (s == null || s.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(s.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-Dpolygrok.threads=" + s + ": need a whole number >= 1");
    }

    /** Worker threads, the caller included. */
    public int threads() {
        return cx.pool.size();
    }

    /** Which tile kernel the GEMM runs, e.g. "vector 6x32 (16 float lanes)" or "scalar 6x32". */
    public String kernel() {
        return cx.gemm.kernel().describe();
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public DType dtype() {
        return DType.F32;
    }

    @Override
    public void close() {
        cx.close();
    }

    // ---- memory -------------------------------------------------------------------------------

    @Override
    public Tensor zeros(Shape shape) {
        return new Tensor(new FloatStorage(shape.size()), 0, shape);
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
        float[] a = f(dst);
        int per = (int) dst.perModel();
        for (int m = 0; m < dst.models(); m++) {
            int o = b(dst, m);
            for (int j = 0; j < per; j++) {
                a[o + j] = (float) values[m * per + j];
            }
        }
    }

    @Override
    public void uploadInts(Tensor dst, int[] values) {
        polygrok.backend.HeapInts.upload(dst, values);
    }

    @Override
    public double[] toDoubles(Tensor t) {
        int per = (int) t.perModel();
        double[] out = new double[(int) t.size()];
        if (t.storage() instanceof IntStorage) {
            return polygrok.backend.HeapInts.readAsDoubles(t);
        }
        float[] a = f(t);
        for (int m = 0; m < t.models(); m++) {
            for (int j = 0; j < per; j++) {
                out[m * per + j] = a[b(t, m) + j];
            }
        }
        return out;
    }

    @Override
    public int[] toInts(Tensor t) {
        return polygrok.backend.HeapInts.read(t);
    }

    @Override
    public void fill(Tensor t, double value) {
        float[] a = f(t);
        float v = (float) value;
        int per = (int) t.perModel();
        for (int m = 0; m < t.models(); m++) {
            int o = b(t, m);
            cx.forRange(per, 1 << 16, 1, (from, to, w) -> java.util.Arrays.fill(a, o + from, o + to, v));
        }
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        sameShape("copy", src, dst);
        float[] s = f(src), o = f(dst);
        int per = (int) src.perModel();
        for (int m = 0; m < src.models(); m++) {
            System.arraycopy(s, b(src, m), o, b(dst, m), per);
        }
    }

    @Override
    public void add(Tensor x, Tensor y, Tensor out) {
        sameShape("add", x, y);
        sameShape("add", x, out);
        float[] a = f(x), c = f(y), o = f(out);
        int per = (int) x.perModel();
        cx.forModels(x.models(), per, (m, lane) -> {
            int xa = b(x, m), ya = b(y, m), oa = b(out, m);
            cx.forRange(lane, per, 1 << 16, 1, (from, to, w) -> {
                for (int j = from; j < to; j++) {
                    o[oa + j] = a[xa + j] + c[ya + j];
                }
            });
        });
    }

    static void sameShape(String op, Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException(op + ": shape mismatch " + a.shape() + " vs " + b.shape());
        }
    }

    // ---- embedding ----------------------------------------------------------------------------

    @Override
    public void embedForward(Tensor wE, Tensor tokens, Tensor out) {
        embedding.forward(wE, tokens, out);
    }

    @Override
    public void embedBackward(Tensor dOut, Tensor tokens, Tensor dWE) {
        embedding.backward(dOut, tokens, dWE);
    }

    @Override
    public void positionalForward(Tensor wPos, Tensor x) {
        float[] w = f(wPos), a = f(x);
        int batch = x.dim(1), t = x.dim(2), dm = x.dim(3);
        cx.forModels(x.models(), (long) batch * t * dm, (m, lane) -> {
            int wb = b(wPos, m), xb = b(x, m);
            cx.forRange(lane, batch, 256, (long) t * dm, (from, to, wk) -> {
                for (int e = from; e < to; e++) {
                    for (int p = 0; p < t; p++) {
                        int row = xb + (e * t + p) * dm;
                        for (int j = 0; j < dm; j++) {
                            a[row + j] += w[wb + p * dm + j];
                        }
                    }
                }
            });
        });
    }

    @Override
    public void positionalBackward(Tensor dX, Tensor dWPos) {
        float[] g = f(dX), w = f(dWPos);
        int batch = dX.dim(1), t = dX.dim(2), dm = dX.dim(3);
        cx.forModels(dX.models(), (long) batch * t * dm, (m, lane) -> {
            int gb = b(dX, m), wb = b(dWPos, m);
            // one task per position: it owns that row of dW_pos and sums examples in order
            cx.forRange(lane, t, 1, (long) batch * dm, (from, to, wk) -> {
                for (int p = from; p < to; p++) {
                    for (int e = 0; e < batch; e++) {
                        int row = gb + (e * t + p) * dm;
                        for (int j = 0; j < dm; j++) {
                            w[wb + p * dm + j] += g[row + j];
                        }
                    }
                }
            });
        });
    }

    // ---- attention ----------------------------------------------------------------------------

    @Override
    public void attentionForward(Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO, boolean lastOnly,
                                 AttentionSaved saved, Tensor out) {
        attention.forward(x, wQ, wK, wV, wO, lastOnly, saved, out);
    }

    @Override
    public void attentionBackward(Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO, boolean lastOnly,
                                  AttentionSaved saved, Tensor dOut,
                                  Tensor dX, Tensor dWQ, Tensor dWK, Tensor dWV, Tensor dWO) {
        attention.backward(x, wQ, wK, wV, wO, lastOnly, saved, dOut, dX, dWQ, dWK, dWV, dWO);
    }

    @Override
    public void attentionCoreForward(Tensor wO, boolean lastOnly, AttentionSaved saved, Tensor out) {
        attention.coreForward(wO, lastOnly, saved, out);
    }

    @Override
    public void attentionCoreBackward(Tensor wO, boolean lastOnly, AttentionSaved saved, Tensor dOut,
                                      Tensor dQ, Tensor dK, Tensor dV, Tensor dWO) {
        attention.coreBackward(wO, lastOnly, saved, dOut, dQ, dK, dV, dWO);
    }

    // ---- MLP, linear, activations -------------------------------------------------------------

    @Override
    public void mlpForward(Tensor x, Tensor wIn, Tensor wOut, Activation act, Tensor pre, Tensor out) {
        matmul.mlpForward(x, wIn, wOut, act, pre, out);
    }

    @Override
    public void mlpBackward(Tensor x, Tensor wIn, Tensor wOut, Activation act, Tensor pre, Tensor dOut,
                            Tensor dX, Tensor dWIn, Tensor dWOut) {
        matmul.mlpBackward(x, wIn, wOut, act, pre, dOut, dX, dWIn, dWOut);
    }

    @Override
    public void linearForward(Tensor x, Tensor w, WeightLayout layout, Tensor y) {
        matmul.linearForward(x, w, layout, y);
    }

    @Override
    public void linearBackward(Tensor x, Tensor w, WeightLayout layout, Tensor dY, Tensor dX, Tensor dW) {
        matmul.linearBackward(x, w, layout, dY, dX, dW);
    }

    @Override
    public void activationForward(Activation act, Tensor x, Tensor out) {
        sameShape("activationForward", x, out);
        float[] a = f(x), o = f(out);
        int per = (int) x.perModel();
        cx.forModels(x.models(), per * 16L, (m, lane) -> cx.activate(lane, act, a, b(x, m), o, b(out, m), per));
    }

    @Override
    public void activationBackward(Activation act, Tensor x, Tensor dOut, Tensor dX) {
        sameShape("activationBackward", x, dOut);
        sameShape("activationBackward", x, dX);
        float[] a = f(x), g = f(dOut), gx = f(dX);
        int per = (int) x.perModel();
        cx.forModels(x.models(), per * 16L, (m, lane) -> {
            int xb = b(x, m), gb = b(dOut, m), db = b(dX, m);
            cx.forRange(lane, per, 1 << 14, act == Activation.RELU ? 1 : 16, (from, to, w) -> {
                for (int j = from; j < to; j++) {
                    gx[db + j] += FloatActivations.derivative(act, a[xb + j]) * g[gb + j];
                }
            });
        });
    }

    @Override
    public void layerNormForward(Tensor x, Tensor w, Tensor bias, double eps, Tensor mean, Tensor rstd, Tensor out) {
        layerNorm.forward(x, w, bias, eps, mean, rstd, out);
    }

    @Override
    public void layerNormBackward(Tensor x, Tensor w, Tensor mean, Tensor rstd, Tensor dOut, Tensor dX, Tensor dW, Tensor dB) {
        layerNorm.backward(x, w, mean, rstd, dOut, dX, dW, dB);
    }

    // ---- positions ----------------------------------------------------------------------------

    @Override
    public void lastPositionForward(Tensor x, Tensor out) {
        float[] a = f(x), o = f(out);
        int batch = x.dim(1), t = x.dim(2), dm = x.dim(3);
        for (int m = 0; m < x.models(); m++) {
            int xb = b(x, m), ob = b(out, m);
            for (int e = 0; e < batch; e++) {
                System.arraycopy(a, xb + (e * t + t - 1) * dm, o, ob + e * dm, dm);
            }
        }
    }

    @Override
    public void lastPositionBackward(Tensor dOut, Tensor dX) {
        float[] g = f(dOut), gx = f(dX);
        int batch = dX.dim(1), t = dX.dim(2), dm = dX.dim(3);
        for (int m = 0; m < dX.models(); m++) {
            int gb = b(dOut, m), xb = b(dX, m);
            for (int e = 0; e < batch; e++) {
                int src = gb + e * dm, dst = xb + (e * t + t - 1) * dm;
                for (int j = 0; j < dm; j++) {
                    gx[dst + j] += g[src + j];
                }
            }
        }
    }

    @Override
    public void sumPositionsForward(Tensor x, Tensor out) {
        float[] a = f(x), o = f(out);
        int batch = x.dim(1), t = x.dim(2), dm = x.dim(3);
        cx.forModels(x.models(), (long) batch * t * dm, (m, lane) -> {
            int xb = b(x, m), ob = b(out, m);
            cx.forRange(lane, batch, 256, (long) t * dm, (from, to, w) -> {
                for (int e = from; e < to; e++) {
                    int dst = ob + e * dm;
                    System.arraycopy(a, xb + e * t * dm, o, dst, dm);
                    for (int p = 1; p < t; p++) {
                        int src = xb + (e * t + p) * dm;
                        for (int j = 0; j < dm; j++) {
                            o[dst + j] += a[src + j];
                        }
                    }
                }
            });
        });
    }

    @Override
    public void sumPositionsBackward(Tensor dOut, Tensor dX) {
        float[] g = f(dOut), gx = f(dX);
        int batch = dX.dim(1), t = dX.dim(2), dm = dX.dim(3);
        cx.forModels(dX.models(), (long) batch * t * dm, (m, lane) -> {
            int gb = b(dOut, m), xb = b(dX, m);
            cx.forRange(lane, batch, 256, (long) t * dm, (from, to, w) -> {
                for (int e = from; e < to; e++) {
                    for (int p = 0; p < t; p++) {
                        int dst = xb + (e * t + p) * dm;
                        for (int j = 0; j < dm; j++) {
                            gx[dst + j] += g[gb + e * dm + j];
                        }
                    }
                }
            });
        });
    }

    // ---- loss and optimisation ----------------------------------------------------------------

    @Override
    public void crossEntropyForward(Tensor logits, Tensor labels, Tensor weights, Tensor perExample, Tensor lossOut) {
        loss.forward(logits, labels, weights, perExample, lossOut);
    }

    @Override
    public void crossEntropyBackward(Tensor logits, Tensor labels, Tensor weights, Tensor dLogits) {
        loss.backward(logits, labels, weights, dLogits);
    }

    @Override
    public void lpPenalty(Tensor params, Tensor trainable, double p, double alpha, Tensor grads, Tensor penalty) {
        optimiser.lpPenalty(params, trainable, p, alpha, grads, penalty);
    }

    @Override
    public void parameterNorms(Tensor params, Tensor offsets, Tensor out) {
        float[] w = f(params), o = f(out);
        int[] at = intData(offsets);
        int stretches = out.dim(1), ob = (int) offsets.base(0);
        // sums in double, in index order: the metrics' norms do not depend on the thread count
        cx.forModels(params.models(), params.perModel(), (m, lane) -> {
            for (int s = 0; s < stretches; s++) {
                double l1 = 0, l2 = 0;
                for (int i = at[ob + s]; i < at[ob + s + 1]; i++) {
                    double x = w[b(params, m) + i];
                    l1 += Math.abs(x);
                    l2 += x * x;
                }
                o[b(out, m) + 2 * s] = (float) l1;
                o[b(out, m) + 2 * s + 1] = (float) Math.sqrt(l2);
            }
        });
    }

    @Override
    public void adamwStep(Tensor params, Tensor grads, Tensor m, Tensor v, AdamWSettings settings) {
        optimiser.adamwStep(params, grads, m, v, settings);
    }

    @Override
    public boolean hasGradFilter() {
        return true;
    }

    @Override
    public void gradFilter(Tensor grads, Tensor state, Tensor count, Tensor trainable, double alpha, double lambda, int window) {
        optimiser.gradFilter(grads, state, count, trainable, alpha, lambda, window);
    }
}
