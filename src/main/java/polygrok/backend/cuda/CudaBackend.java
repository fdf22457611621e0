package polygrok.backend.cuda;

import static polygrok.backend.cuda.DeviceView.f;
import static polygrok.backend.cuda.DeviceView.i;

import jcuda.driver.CUdeviceptr;
import polygrok.backend.Activation;
import polygrok.backend.AdamWSettings;
import polygrok.backend.AttentionDims;
import polygrok.backend.AttentionSaved;
import polygrok.backend.Backend;
import polygrok.backend.LossMode;
import polygrok.backend.OpShapes;
import polygrok.backend.WeightLayout;
import polygrok.tensor.DType;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * float32 tensors in device memory and polygrok's own kernels (src/main/cuda), loaded with the JCuda
 * driver API. Everything runs on one non-default stream of the device's primary context, so calls are
 * asynchronous; only {@link #toDoubles}, {@link #toInts} and {@link #synchronize} wait.
 *
 * <p>This class only dispatches: each op checks its shapes against the contract every backend shares
 * ({@link OpShapes}) and hands the work to one collaborator: {@link CudaMemory} (allocations and copies),
 * {@link Launchers} (one per kernel family), {@link MatrixOps} (the ops built on matrix products) or
 * {@link GraphCache} (the graphs of {@link #runRepeatable}); {@link CudaSession} opens and closes them.
 *
 * <p>The system properties it reads ({@code polygrok.cuda.gemm}, {@code polygrok.cuda.tokenTables},
 * {@code polygrok.cuda.sync}, {@code polygrok.cuda.profile}) are listed with their meanings and defaults
 * in the {@linkplain polygrok.backend.cuda package documentation}; each is read once, when the backend opens.
 */
public final class CudaBackend implements Backend {
    /** System property that lets the first block use per-vocabulary tables on the GPU (see {@link #tokenTables}). */
    public static final String TOKEN_TABLES_PROPERTY = "polygrok.cuda.tokenTables";
    private static final System.Logger LOG = System.getLogger("polygrok.cuda");

    private final CudaSession session;
    private final Launchers kernels;
    private final MatrixOps matrix;
    private final boolean tokenTables = Boolean.getBoolean(TOKEN_TABLES_PROPERTY); // once: a captured step keeps its path

    /** Opens device 0. Fails with a clear message when there is none; check {@link CudaProbe#whyUnavailable()} first. */
    public CudaBackend() {
        session = new CudaSession();
        kernels = session.kernels;
        matrix = new MatrixOps(session.gemm, kernels.activations, kernels.attention, kernels.memory, session.scratch);
        LOG.log(System.Logger.Level.INFO, "cuda backend on " + session.description + ", matrix products: " + session.gemm.name()
                + (tokenTables ? ", first block from token tables" : "")
                + (Boolean.getBoolean(KernelRunner.SYNC_PROPERTY) ? ", synchronizing after every launch" : ""));
    }

    @Override
    public String name() {
        return "cuda";
    }

    /** Tensors live in device memory: the heap holds only the host-side copies read at eval epochs. */
    @Override
    public boolean tensorsOnHeap() {
        return false;
    }

    /** {@code device} (the chip and kernel format) and {@code gemm} (own, own-tf32x3 or cublas). */
    @Override
    public java.util.Map<String, String> describe() {
        var m = new java.util.LinkedHashMap<String, String>();
        m.put("device", session.description);
        m.put("gemm", session.gemm.name());
        return m;
    }

    @Override
    public DType dtype() {
        return DType.F32;
    }

    private static int perModel(Tensor t) {
        return Math.toIntExact(t.perModel());
    }

    private static boolean empty(Tensor t) {
        return t.size() == 0;
    }

    // ---- memory -------------------------------------------------------------------------------

    @Override
    public Tensor zeros(Shape shape) {
        return session.memory.zeros(shape);
    }

    @Override
    public Tensor ints(Shape shape, int[] values) {
        return session.memory.ints(shape, values);
    }

    @Override
    public void upload(Tensor dst, double[] values) {
        session.memory.upload(dst, values);
    }

    @Override
    public void uploadInts(Tensor dst, int[] values) {
        session.memory.uploadInts(dst, values);
    }

    @Override
    public double[] toDoubles(Tensor t) {
        return session.memory.toDoubles(t);
    }

    @Override
    public int[] toInts(Tensor t) {
        return session.memory.toInts(t);
    }

    @Override
    public void synchronize() {
        session.memory.synchronize();
    }

    @Override
    public void fill(Tensor t, double value) {
        if (!empty(t)) {
            kernels.memory.fill(f(t), t.models(), perModel(t), (float) value);
        }
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        OpShapes.copy(src, dst);
        if (!empty(src)) {
            kernels.memory.copy(f(src), f(dst), src.models(), perModel(src));
        }
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        OpShapes.add(a, b, out);
        if (!empty(a)) {
            kernels.memory.add(f(a), f(b), f(out), a.models(), perModel(a));
        }
    }

    // ---- embedding ----------------------------------------------------------------------------

    @Override
    public void embedForward(Tensor wE, Tensor tokens, Tensor out) {
        OpShapes.embedForward(wE, tokens, out);
        if (!empty(out)) {
            kernels.embedding.forward(f(wE), i(tokens), f(out), out.models(), perModel(tokens), wE.dim(1), wE.dim(2));
        }
    }

    /** Refused: the MLP model's tables are the one user, and they have not run on a GPU (see {@link #tokenTables}). */
    @Override
    public void embedSumForward(Tensor table, Tensor tokens, Tensor out) {
        OpShapes.embedSumForward(table, tokens, out);
        throw new UnsupportedOperationException("cuda: embedSumForward (the MLP model's token tables) has not run on a GPU;"
                + " run the MLP model without -D" + TOKEN_TABLES_PROPERTY + "=true");
    }

    /** Refused, as {@link #embedSumForward}. */
    @Override
    public void embedSumBackward(Tensor dOut, Tensor tokens, Tensor dTable) {
        OpShapes.embedSumBackward(dOut, tokens, dTable);
        throw new UnsupportedOperationException("cuda: embedSumBackward (the MLP model's token tables) has not run on a GPU;"
                + " run the MLP model without -D" + TOKEN_TABLES_PROPERTY + "=true");
    }

    @Override
    public void embedBackward(Tensor dOut, Tensor tokens, Tensor dWE) {
        OpShapes.embedBackward(dOut, tokens, dWE);
        if (!empty(dOut)) {
            kernels.embedding.backward(f(dOut), i(tokens), f(dWE), dOut.models(), perModel(tokens), dWE.dim(1), dWE.dim(2));
        }
    }

    @Override
    public void positionalForward(Tensor wPos, Tensor x) {
        OpShapes.positionalForward(wPos, x);
        if (!empty(x)) {
            kernels.embedding.positionalForward(f(wPos), f(x), x.models(), x.dim(1), x.dim(2), x.dim(3));
        }
    }

    @Override
    public void positionalBackward(Tensor dX, Tensor dWPos) {
        OpShapes.positionalBackward(dX, dWPos);
        if (!empty(dX)) {
            kernels.embedding.positionalBackward(f(dX), f(dWPos), dX.models(), dX.dim(1), dX.dim(2), dX.dim(3));
        }
    }

    // ---- attention ----------------------------------------------------------------------------

    @Override
    public void attentionForward(Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO, boolean lastOnly,
                                 AttentionSaved s, Tensor out) {
        AttentionDims a = OpShapes.attentionForward(x, wQ, wK, wV, wO, lastOnly, s, out);
        if (empty(x)) {
            return;
        }
        matrix.attentionForward(f(x), f(wQ), f(wK), f(wV), f(wO), f(s.q()), f(s.k()), f(s.v()), f(s.pattern()),
                f(s.z()), f(out), a);
    }

    @Override
    public void attentionBackward(Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO, boolean lastOnly,
                                  AttentionSaved s, Tensor dOut,
                                  Tensor dX, Tensor dWQ, Tensor dWK, Tensor dWV, Tensor dWO) {
        AttentionDims a = OpShapes.attentionBackward(x, wQ, wK, wV, wO, lastOnly, s, dOut, dX, dWQ, dWK, dWV, dWO);
        if (empty(x)) {
            return;
        }
        matrix.attentionBackward(f(x), f(wQ), f(wK), f(wV), f(wO), f(s.q()), f(s.k()), f(s.v()), f(s.pattern()),
                f(s.z()), f(dOut), f(dX), f(dWQ), f(dWK), f(dWV), f(dWO), a);
    }

    @Override
    public void attentionCoreForward(Tensor wO, boolean lastOnly, AttentionSaved s, Tensor out) {
        AttentionDims a = OpShapes.attentionCoreForward(wO, lastOnly, s, out);
        if (empty(s.k())) {
            return;
        }
        matrix.attentionCoreForward(f(wO), f(s.q()), f(s.k()), f(s.v()), f(s.pattern()), f(s.z()), f(out), a);
    }

    @Override
    public void attentionCoreBackward(Tensor wO, boolean lastOnly, AttentionSaved s, Tensor dOut,
                                      Tensor dQ, Tensor dK, Tensor dV, Tensor dWO) {
        AttentionDims a = OpShapes.attentionCoreBackward(wO, lastOnly, s, dOut, dQ, dK, dV, dWO);
        if (empty(s.k())) {
            return;
        }
        matrix.attentionCoreBackward(f(wO), f(s.q()), f(s.k()), f(s.v()), f(s.pattern()), f(s.z()), f(dOut),
                f(dQ), f(dK), f(dV), f(dWO), a);
    }

    /** Off unless {@value #TOKEN_TABLES_PROPERTY}: GPU-checked kernels, but this composition has not run on a GPU yet. */
    @Override
    public boolean tokenTables() {
        return tokenTables;
    }

    /** The model options' compositions (biases, final LayerNorm, normalised residual, one-hot input) have not run on a GPU. */
    @Override
    public boolean hasModelOptions() {
        return false;
    }

    // ---- MLP, linear, activations -------------------------------------------------------------

    @Override
    public void mlpForward(Tensor x, Tensor wIn, Tensor wOut, Activation act, Tensor pre, Tensor out) {
        int n = OpShapes.mlpForward(x, wIn, wOut, pre, out);
        if (n > 0) {
            matrix.mlpForward(f(x), f(wIn), f(wOut), act, f(pre), f(out), x.models(), n, x.dim(-1), wIn.dim(1));
        }
    }

    @Override
    public void mlpBackward(Tensor x, Tensor wIn, Tensor wOut, Activation act, Tensor pre, Tensor dOut,
                            Tensor dX, Tensor dWIn, Tensor dWOut) {
        int n = OpShapes.mlpBackward(x, wIn, wOut, pre, dOut, dX, dWIn, dWOut);
        if (n > 0) {
            matrix.mlpBackward(f(x), f(wIn), f(wOut), act, f(pre), f(dOut), f(dX), f(dWIn), f(dWOut), x.models(), n, x.dim(-1),
                    wIn.dim(1));
        }
    }

    @Override
    public void linearForward(Tensor x, Tensor w, WeightLayout layout, Tensor y) {
        int n = OpShapes.linearForward(x, w, layout, y);
        if (n > 0) {
            matrix.linearForward(f(x), f(w), layout, f(y), x.models(), n, x.dim(-1), y.dim(-1));
        }
    }

    @Override
    public void linearBackward(Tensor x, Tensor w, WeightLayout layout, Tensor dY, Tensor dX, Tensor dW) {
        int n = OpShapes.linearBackward(x, w, layout, dY, dX, dW);
        if (n > 0) {
            matrix.linearBackward(f(x), f(w), layout, f(dY), f(dX), f(dW), x.models(), n, x.dim(-1), dY.dim(-1));
        }
    }

    @Override
    public void activationForward(Activation act, Tensor x, Tensor out) {
        OpShapes.activationForward(x, out);
        if (!empty(x)) {
            kernels.activations.forward(act, f(x), f(out), x.models(), perModel(x));
        }
    }

    @Override
    public void activationBackward(Activation act, Tensor x, Tensor dOut, Tensor dX) {
        OpShapes.activationBackward(x, dOut, dX);
        if (!empty(x)) {
            kernels.activations.backward(act, f(x), f(dOut), f(dX), x.models(), perModel(x), true);
        }
    }

    @Override
    public void layerNormForward(Tensor x, Tensor w, Tensor b, double eps, Tensor mean, Tensor rstd, Tensor out) {
        int rows = OpShapes.layerNormForward(x, w, b, mean, rstd, out);
        if (rows > 0) {
            kernels.layerNorm.forward(f(x), f(w), f(b), (float) eps, f(mean), f(rstd), f(out), x.models(), rows, x.dim(-1));
        }
    }

    @Override
    public void layerNormBackward(Tensor x, Tensor w, Tensor mean, Tensor rstd, Tensor dOut, Tensor dX, Tensor dW, Tensor dB) {
        int rows = OpShapes.layerNormBackward(x, w, mean, rstd, dOut, dX, dW, dB);
        if (rows > 0) {
            kernels.layerNorm.backward(f(x), f(w), f(mean), f(rstd), f(dOut), f(dX), f(dW), f(dB), x.models(), rows, x.dim(-1));
        }
    }

    // ---- positions ----------------------------------------------------------------------------

    @Override
    public void lastPositionForward(Tensor x, Tensor out) {
        OpShapes.lastPositionForward(x, out);
        if (!empty(out)) {
            kernels.positions.lastPositionForward(f(x), f(out), x.models(), x.dim(1), x.dim(2), x.dim(3));
        }
    }

    @Override
    public void lastPositionBackward(Tensor dOut, Tensor dX) {
        OpShapes.lastPositionBackward(dOut, dX);
        if (!empty(dOut)) {
            kernels.positions.lastPositionBackward(f(dOut), f(dX), dX.models(), dX.dim(1), dX.dim(2), dX.dim(3));
        }
    }

    @Override
    public void sumPositionsForward(Tensor x, Tensor out) {
        OpShapes.sumPositionsForward(x, out);
        if (!empty(out)) {
            kernels.positions.sumPositionsForward(f(x), f(out), x.models(), x.dim(1), x.dim(2), x.dim(3));
        }
    }

    @Override
    public void sumPositionsBackward(Tensor dOut, Tensor dX) {
        OpShapes.sumPositionsBackward(dOut, dX);
        if (!empty(dX)) {
            kernels.positions.sumPositionsBackward(f(dOut), f(dX), dX.models(), dX.dim(1), dX.dim(2), dX.dim(3));
        }
    }

    // ---- loss and optimisation ----------------------------------------------------------------

    @Override
    public void crossEntropyForward(Tensor logits, Tensor labels, Tensor weights, LossMode mode, Tensor perExample, Tensor loss) {
        OpShapes.crossEntropyForward(logits, labels, weights, perExample, loss);
        CrossEntropyKernels.refuse(mode, this);
        int m = logits.models(), batch = logits.dim(1), vocab = logits.dim(2);
        if (batch == 0) {
            fill(loss, 0);
            return;
        }
        CUdeviceptr weighted = session.scratch.get("crossEntropy.weightedCe", (long) m * batch * Double.BYTES);
        kernels.crossEntropy.forward(f(logits), i(labels), f(weights), f(perExample), f(loss), weighted, m, batch, vocab);
    }

    @Override
    public void crossEntropyBackward(Tensor logits, Tensor labels, Tensor weights, LossMode mode, Tensor dLogits) {
        OpShapes.crossEntropyBackward(logits, labels, weights, dLogits);
        CrossEntropyKernels.refuse(mode, this);
        if (!empty(logits)) {
            kernels.crossEntropy.backward(f(logits), i(labels), f(weights), f(dLogits), logits.models(), logits.dim(1), logits.dim(2));
        }
    }

    @Override
    public void lpPenalty(Tensor params, Tensor trainable, double p, double alpha, Tensor grads, Tensor penalty) {
        OpShapes.lpPenalty(params, trainable, grads, penalty);
        kernels.norms.lpPenalty(f(params), f(trainable), f(grads), f(penalty), params.models(), perModel(params), p, alpha);
    }

    @Override
    public void parameterNorms(Tensor params, Tensor offsets, Tensor out) {
        int stretches = OpShapes.parameterNorms(params, offsets, out);
        if (!empty(params) && stretches > 0) {
            kernels.norms.parameterNorms(f(params), i(offsets), f(out), params.models(), stretches);
        }
    }

    @Override
    public void adamwStep(Tensor params, Tensor grads, Tensor m, Tensor v, AdamWSettings s) {
        OpShapes.adamwStep(params, grads, m, v, s);
        AdamWKernels.refuseOptions(s);
        if (empty(params)) {
            return;
        }
        kernels.adamw.step(f(params), f(grads), f(m), f(v), f(s.lr()), f(s.weightDecay()), f(s.step()), f(s.trainable()),
                params.models(), perModel(params), (float) s.beta1(), (float) s.beta2(), (float) s.eps());
    }

    // ---- repeatable work ----------------------------------------------------------------------

    @Override
    public void runRepeatable(String key, Runnable work) {
        session.device.bind();
        session.graphs.run(key, work);
    }

    @Override
    public void forgetRepeatable() {
        session.graphs.forget();
    }

    /** Frees every allocation still open, the graphs, the kernels and the stream. */
    @Override
    public void close() {
        session.close();
    }
}
