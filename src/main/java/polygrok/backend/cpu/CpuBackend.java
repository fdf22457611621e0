package polygrok.backend.cpu;

import polygrok.backend.Activation;
import polygrok.backend.AdamWSettings;
import polygrok.backend.AttentionSaved;
import polygrok.backend.Backend;
import polygrok.backend.LossMode;
import polygrok.backend.OpShapes;
import polygrok.backend.WeightLayout;
import polygrok.tensor.DType;
import polygrok.tensor.FloatStorage;
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
    private final CpuTensors tensors;
    private final CpuLinear linear;
    private final CpuAttention attention;
    private final CpuEmbedding embedding;
    private final CpuLoss loss;
    private final CpuAdamW adamW;
    private final CpuGradFilter gradFilter;
    private final CpuOrthogonalGradient orthogonal;
    private final CpuNorms norms;
    private final CpuActivation activation;
    private final CpuPositions positions;
    private final CpuLayerNorm layerNorm;

    /** Threads and kernel from the system properties polygrok.threads and polygrok.vector. */
    public CpuBackend() {
        this(defaultThreads(), TileKernels.vectorRequested());
    }

    public CpuBackend(int threads, boolean vector) {
        this.cx = new CpuContext(threads, vector);
        this.tensors = new CpuTensors(cx);
        this.linear = new CpuLinear(cx);
        this.attention = new CpuAttention(cx);
        this.embedding = new CpuEmbedding(cx);
        this.loss = new CpuLoss(cx);
        this.adamW = new CpuAdamW(cx);
        this.gradFilter = new CpuGradFilter(cx);
        this.orthogonal = new CpuOrthogonalGradient(cx);
        this.norms = new CpuNorms(cx);
        this.activation = new CpuActivation(cx);
        this.positions = new CpuPositions(cx);
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

    /** {@code gemm}: the Vector API path, or the scalar one (and so why it is slower). */
    @Override
    public java.util.Map<String, String> describe() {
        var m = new java.util.LinkedHashMap<String, String>();
        m.put("gemm", kernel());
        return m;
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
        tensors.upload(dst, values);
    }

    @Override
    public void uploadInts(Tensor dst, int[] values) {
        polygrok.backend.HeapInts.upload(dst, values);
    }

    @Override
    public double[] toDoubles(Tensor t) {
        return tensors.toDoubles(t);
    }

    @Override
    public int[] toInts(Tensor t) {
        return polygrok.backend.HeapInts.read(t);
    }

    @Override
    public void fill(Tensor t, double value) {
        tensors.fill(t, value);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        tensors.copy(src, dst);
    }

    @Override
    public void add(Tensor x, Tensor y, Tensor out) {
        tensors.add(x, y, out);
    }

    // ---- embedding ----------------------------------------------------------------------------

    @Override
    public void embedForward(Tensor wE, Tensor tokens, Tensor out) {
        OpShapes.embedForward(wE, tokens, out);
        embedding.forward(wE, tokens, out);
    }

    @Override
    public void embedSumForward(Tensor table, Tensor tokens, Tensor out) {
        OpShapes.embedSumForward(table, tokens, out);
        embedding.sumForward(table, tokens, out);
    }

    @Override
    public void embedSumBackward(Tensor dOut, Tensor tokens, Tensor dTable) {
        OpShapes.embedSumBackward(dOut, tokens, dTable);
        embedding.sumBackward(dOut, tokens, dTable);
    }

    @Override
    public void embedBackward(Tensor dOut, Tensor tokens, Tensor dWE) {
        OpShapes.embedBackward(dOut, tokens, dWE);
        embedding.backward(dOut, tokens, dWE);
    }

    @Override
    public void positionalForward(Tensor wPos, Tensor x) {
        OpShapes.positionalForward(wPos, x);
        embedding.positionalForward(wPos, x);
    }

    @Override
    public void positionalBackward(Tensor dX, Tensor dWPos) {
        OpShapes.positionalBackward(dX, dWPos);
        embedding.positionalBackward(dX, dWPos);
    }

    // ---- attention ----------------------------------------------------------------------------

    @Override
    public void attentionForward(Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO, boolean lastOnly,
                                 AttentionSaved saved, Tensor out) {
        OpShapes.attentionForward(x, wQ, wK, wV, wO, lastOnly, saved, out);
        attention.forward(x, wQ, wK, wV, wO, lastOnly, saved, out);
    }

    @Override
    public void attentionBackward(Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO, boolean lastOnly,
                                  AttentionSaved saved, Tensor dOut,
                                  Tensor dX, Tensor dWQ, Tensor dWK, Tensor dWV, Tensor dWO) {
        OpShapes.attentionBackward(x, wQ, wK, wV, wO, lastOnly, saved, dOut, dX, dWQ, dWK, dWV, dWO);
        attention.backward(x, wQ, wK, wV, wO, lastOnly, saved, dOut, dX, dWQ, dWK, dWV, dWO);
    }

    @Override
    public void attentionCoreForward(Tensor wO, boolean lastOnly, AttentionSaved saved, Tensor out) {
        OpShapes.attentionCoreForward(wO, lastOnly, saved, out);
        attention.coreForward(wO, lastOnly, saved, out);
    }

    @Override
    public void attentionCoreBackward(Tensor wO, boolean lastOnly, AttentionSaved saved, Tensor dOut,
                                      Tensor dQ, Tensor dK, Tensor dV, Tensor dWO) {
        OpShapes.attentionCoreBackward(wO, lastOnly, saved, dOut, dQ, dK, dV, dWO);
        attention.coreBackward(wO, lastOnly, saved, dOut, dQ, dK, dV, dWO);
    }

    // ---- MLP, linear, activations -------------------------------------------------------------

    @Override
    public void mlpForward(Tensor x, Tensor wIn, Tensor wOut, Activation act, Tensor pre, Tensor out) {
        OpShapes.mlpForward(x, wIn, wOut, pre, out);
        linear.mlpForward(x, wIn, wOut, act, pre, out);
    }

    @Override
    public void mlpBackward(Tensor x, Tensor wIn, Tensor wOut, Activation act, Tensor pre, Tensor dOut,
                            Tensor dX, Tensor dWIn, Tensor dWOut) {
        OpShapes.mlpBackward(x, wIn, wOut, pre, dOut, dX, dWIn, dWOut);
        linear.mlpBackward(x, wIn, wOut, act, pre, dOut, dX, dWIn, dWOut);
    }

    @Override
    public void linearForward(Tensor x, Tensor w, WeightLayout layout, Tensor y) {
        OpShapes.linearForward(x, w, layout, y);
        linear.linearForward(x, w, layout, y);
    }

    @Override
    public void linearBackward(Tensor x, Tensor w, WeightLayout layout, Tensor dY, Tensor dX, Tensor dW) {
        OpShapes.linearBackward(x, w, layout, dY, dX, dW);
        linear.linearBackward(x, w, layout, dY, dX, dW);
    }

    @Override
    public void activationForward(Activation act, Tensor x, Tensor out) {
        OpShapes.activationForward(x, out);
        activation.forward(act, x, out);
    }

    @Override
    public void activationBackward(Activation act, Tensor x, Tensor dOut, Tensor dX) {
        OpShapes.activationBackward(x, dOut, dX);
        activation.backward(act, x, dOut, dX);
    }

    @Override
    public void layerNormForward(Tensor x, Tensor w, Tensor bias, double eps, Tensor mean, Tensor rstd, Tensor out) {
        OpShapes.layerNormForward(x, w, bias, mean, rstd, out);
        layerNorm.forward(x, w, bias, eps, mean, rstd, out);
    }

    @Override
    public void layerNormBackward(Tensor x, Tensor w, Tensor mean, Tensor rstd, Tensor dOut, Tensor dX, Tensor dW, Tensor dB) {
        OpShapes.layerNormBackward(x, w, mean, rstd, dOut, dX, dW, dB);
        layerNorm.backward(x, w, mean, rstd, dOut, dX, dW, dB);
    }

    // ---- positions ----------------------------------------------------------------------------

    @Override
    public void lastPositionForward(Tensor x, Tensor out) {
        OpShapes.lastPositionForward(x, out);
        positions.lastForward(x, out);
    }

    @Override
    public void lastPositionBackward(Tensor dOut, Tensor dX) {
        OpShapes.lastPositionBackward(dOut, dX);
        positions.lastBackward(dOut, dX);
    }

    @Override
    public void sumPositionsForward(Tensor x, Tensor out) {
        OpShapes.sumPositionsForward(x, out);
        positions.sumForward(x, out);
    }

    @Override
    public void sumPositionsBackward(Tensor dOut, Tensor dX) {
        OpShapes.sumPositionsBackward(dOut, dX);
        positions.sumBackward(dOut, dX);
    }

    // ---- loss, norms and the optimizer -------------------------------------------------------

    /** Every loss: StableMax and float32 arithmetic as well as the seed's cross-entropy. */
    @Override
    public String supportsLoss(LossMode mode) {
        return null;
    }

    @Override
    public void crossEntropyForward(Tensor logits, Tensor labels, Tensor weights, LossMode mode, Tensor perExample, Tensor lossOut) {
        OpShapes.crossEntropyForward(logits, labels, weights, perExample, lossOut);
        loss.forward(logits, labels, weights, mode, perExample, lossOut);
    }

    @Override
    public void crossEntropyBackward(Tensor logits, Tensor labels, Tensor weights, LossMode mode, Tensor dLogits) {
        OpShapes.crossEntropyBackward(logits, labels, weights, dLogits);
        loss.backward(logits, labels, weights, mode, dLogits);
    }

    @Override
    public void lpPenalty(Tensor params, Tensor trainable, double p, double alpha, Tensor grads, Tensor penalty) {
        OpShapes.lpPenalty(params, trainable, grads, penalty);
        norms.lpPenalty(params, trainable, p, alpha, grads, penalty);
    }

    @Override
    public void parameterNorms(Tensor params, Tensor offsets, Tensor out) {
        OpShapes.parameterNorms(params, offsets, out);
        norms.parameterNorms(params, offsets, out);
    }

    @Override
    public void adamwStep(Tensor params, Tensor grads, Tensor m, Tensor v, AdamWSettings settings) {
        OpShapes.adamwStep(params, grads, m, v, settings);
        adamW.step(params, grads, m, v, settings);
    }

    @Override
    public boolean hasGradFilter() {
        return true;
    }

    @Override
    public void gradFilter(Tensor grads, Tensor state, Tensor count, Tensor trainable, double alpha, double lambda, int window) {
        OpShapes.gradFilter(grads, state, count, trainable, window);
        gradFilter.apply(grads, state, count, trainable, alpha, lambda, window);
    }

    @Override
    public boolean hasAdamOptions() {
        return true;
    }

    @Override
    public boolean hasOrthogonalGradient() {
        return true;
    }

    @Override
    public void orthogonalGradient(Tensor params, Tensor grads, Tensor offsets, Tensor trainable) {
        OpShapes.orthogonalGradient(params, grads, offsets, trainable);
        orthogonal.apply(params, grads, offsets, trainable);
    }
}
