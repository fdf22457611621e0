package polygrok.backend;

import polygrok.tensor.DType;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * The seam between the math and the hardware. Every tensor carries a leading model axis M: one
 * call serves M independent models. Shapes in the comments use M models, B examples, T positions,
 * Tq query positions (T, or 1 when only the last position is computed), D = d_model, H heads,
 * Dh = d_head, F = d_mlp, V = vocabulary, P = parameters per model.
 *
 * <p>Conventions every implementation follows:
 * <ul>
 *   <li>Forward ops overwrite their outputs. Backward ops ADD into every gradient they receive
 *   ({@code +=}); callers zero gradients.</li>
 *   <li>Weight tensors may have a model stride (views into a parameter block); activations are packed.</li>
 *   <li>Integer tensors (tokens, labels) have dtype I32; the rest has the backend's {@link #dtype()}.</li>
 *   <li>Calls are asynchronous where the hardware is: only {@link #toDoubles}, {@link #toInts}
 *   and {@link #synchronize} wait.</li>
 * </ul>
 * A kernel's CPU twin has the same arguments and layouts; conformance tests compare them with
 * {@code cpuref}.
 */
public interface Backend extends AutoCloseable {

    /** "cpuref", "cpu" or "cuda". */
    String name();

    /** The floating type of this backend's tensors. */
    DType dtype();

    /**
     * True when this backend's tensors live on the Java heap (the CPU backends), so a group's
     * memory is checked against the heap limit before it is built; false for device memory.
     */
    default boolean tensorsOnHeap() {
        return true;
    }

    /**
     * The paths this backend runs that change the work, for benchmark output, in a fixed order:
     * e.g. {@code gemm} (the matrix kernel) and, on a GPU, {@code device}. Empty when there is no
     * choice to report.
     */
    default java.util.Map<String, String> describe() {
        return new java.util.LinkedHashMap<>();
    }

    // ---- memory -------------------------------------------------------------------------------

    /** A packed floating tensor of zeros. */
    Tensor zeros(Shape shape);

    /** A packed I32 tensor holding {@code values} (row-major). */
    Tensor ints(Shape shape, int[] values);

    /** Overwrites {@code dst} (row-major over its shape) with {@code values}, rounded to {@link #dtype()}. */
    void upload(Tensor dst, double[] values);

    /** Overwrites the I32 tensor {@code dst} (row-major over its shape) with {@code values}. */
    void uploadInts(Tensor dst, int[] values);

    /** The tensor's elements, row-major over its shape, as doubles. Waits for pending work. */
    double[] toDoubles(Tensor t);

    /** An I32 tensor's elements. Waits for pending work. */
    int[] toInts(Tensor t);

    /** t = value everywhere. */
    void fill(Tensor t, double value);

    /** dst = src (same shape). */
    void copy(Tensor src, Tensor dst);

    /** dst += src (same shape). */
    default void addInto(Tensor src, Tensor dst) {
        add(dst, src, dst);
    }

    /** out = a + b (same shape); out may alias a or b. */
    void add(Tensor a, Tensor b, Tensor out);

    /** Waits until every call issued so far has finished. */
    default void synchronize() {
    }

    // ---- embedding ----------------------------------------------------------------------------

    /** out[m,b,t,:] = W_E[m,:,tokens[m,b,t]]. W_E [M, D, V], tokens I32 [M, B, T], out [M, B, T, D]. */
    void embedForward(Tensor wE, Tensor tokens, Tensor out);

    /** dW_E[m,:,tokens[m,b,t]] += dOut[m,b,t,:] (scatter-add). */
    void embedBackward(Tensor dOut, Tensor tokens, Tensor dWE);

    /**
     * out[m,b,:] = sum_t table[m,:,tokens[m,b,t]]: {@link #embedForward} then {@link #sumPositionsForward}
     * without the [M, B, T, D] between them (the MLP model's input from its tables). table [M, D, V],
     * tokens I32 [M, B, T], out [M, B, D]. A backend that does not enable {@link #tokenTables} may refuse.
     */
    void embedSumForward(Tensor table, Tensor tokens, Tensor out);

    /** dTable[m,:,tokens[m,b,t]] += dOut[m,b,:] for every t (scatter-add), the backward of {@link #embedSumForward}. */
    void embedSumBackward(Tensor dOut, Tensor tokens, Tensor dTable);

    /** x[m,b,t,:] += W_pos[m,t,:]. W_pos [M, n_ctx, D] with n_ctx >= T, x [M, B, T, D]. */
    void positionalForward(Tensor wPos, Tensor x);

    /** dW_pos[m,t,:] += sum_b dX[m,b,t,:]. */
    void positionalBackward(Tensor dX, Tensor dWPos);

    // ---- attention ----------------------------------------------------------------------------

    /**
     * Fused causal multi-head attention without biases. For each model, example and head h:
     * q = W_Q[h] x, k = W_K[h] x, v = W_V[h] x (W_* [M, H, Dh, D]); scores[qi, kj] = q_qi . k_kj / sqrt(Dh)
     * for kj <= qi (query position qi counted in the full context), -inf otherwise; pattern = softmax
     * over kj; z[qi, h*Dh + i] = sum_kj pattern[qi,kj] v[kj, i]; out = z W_O^T (W_O [M, D, H*Dh]).
     *
     * @param x        [M, B, T, D]
     * @param lastOnly when true only the last position is a query (Tq = 1), out [M, B, 1, D]
     * @param saved    filled for the backward (shapes in {@link AttentionSaved})
     * @param out      [M, B, Tq, D]
     */
    void attentionForward(Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO, boolean lastOnly,
                          AttentionSaved saved, Tensor out);

    /** Backward of {@link #attentionForward}: adds into dX [M, B, T, D] and every weight gradient. */
    void attentionBackward(Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO, boolean lastOnly,
                           AttentionSaved saved, Tensor dOut,
                           Tensor dX, Tensor dWQ, Tensor dWK, Tensor dWV, Tensor dWO);

    /**
     * The attention core on given queries, keys and values: {@link #attentionForward} without the
     * input projections. Reads saved.q [M, B, Tq, H, Dh], saved.k and saved.v [M, B, T, H, Dh]; writes
     * saved.pattern, saved.z and out = z W_O^T [M, B, Tq, D]. It serves a first block whose input is a
     * function of the token alone, where q, k and v are rows of per-vocabulary tables.
     */
    void attentionCoreForward(Tensor wO, boolean lastOnly, AttentionSaved saved, Tensor out);

    /** Backward of {@link #attentionCoreForward}: adds into dQ, dK, dV (shaped as saved.q, .k, .v) and dW_O. */
    void attentionCoreBackward(Tensor wO, boolean lastOnly, AttentionSaved saved, Tensor dOut,
                               Tensor dQ, Tensor dK, Tensor dV, Tensor dWO);

    /**
     * Whether models may run their first block from per-vocabulary tables through
     * {@link #attentionCoreForward}, and the MLP model its input and output maps from tables folded
     * once per pass (same numbers up to rounding, less work). A backend answers false while that path
     * is not yet verified on its hardware.
     */
    default boolean tokenTables() {
        return true;
    }

    /**
     * Whether this backend trains the model options that compose its ops in new ways (model.bias,
     * final_layer_norm, residual "normalised", input "one_hot"). A backend answers false while those
     * compositions have not run on its hardware; configs that ask for them are refused there.
     */
    default boolean hasModelOptions() {
        return true;
    }

    // ---- MLP, linear maps, activations ----------------------------------------------------------

    /**
     * out = act(x W_in^T) W_out^T, no biases. x [M, N, D], W_in [M, F, D], W_out [M, D, F],
     * pre [M, N, F] receives the pre-activations (kept for the backward), out [M, N, D].
     */
    void mlpForward(Tensor x, Tensor wIn, Tensor wOut, Activation act, Tensor pre, Tensor out);

    /** Backward of {@link #mlpForward}: adds into dX, dW_in, dW_out. */
    void mlpBackward(Tensor x, Tensor wIn, Tensor wOut, Activation act, Tensor pre, Tensor dOut,
                     Tensor dX, Tensor dWIn, Tensor dWOut);

    /** y = x W^T (OUT_IN, W [M, Out, In]) or y = x W (IN_OUT, W [M, In, Out]); x [M, N, In], y [M, N, Out]. */
    void linearForward(Tensor x, Tensor w, WeightLayout layout, Tensor y);

    /** Backward of {@link #linearForward}: dX += dY W (or dY W^T), dW += dY^T x (or x^T dY). */
    void linearBackward(Tensor x, Tensor w, WeightLayout layout, Tensor dY, Tensor dX, Tensor dW);

    /** out = act(x), elementwise, same shape. */
    void activationForward(Activation act, Tensor x, Tensor out);

    /** dX += act'(x) * dOut. */
    void activationBackward(Activation act, Tensor x, Tensor dOut, Tensor dX);

    /**
     * LayerNorm over the last axis (biased variance, eps inside the square root):
     * out = (x - mean) / sqrt(var + eps) * w + b. x, out [M, N, D]; w, b [M, D];
     * mean, rstd [M, N] receive the statistics for the backward.
     */
    void layerNormForward(Tensor x, Tensor w, Tensor b, double eps, Tensor mean, Tensor rstd, Tensor out);

    /** Backward of {@link #layerNormForward}: adds into dX, dW, dB. */
    void layerNormBackward(Tensor x, Tensor w, Tensor mean, Tensor rstd, Tensor dOut, Tensor dX, Tensor dW, Tensor dB);

    // ---- positions ----------------------------------------------------------------------------

    /** out[m,b,0,:] = x[m,b,T-1,:]. x [M, B, T, D], out [M, B, 1, D]. */
    void lastPositionForward(Tensor x, Tensor out);

    /** dX[m,b,T-1,:] += dOut[m,b,0,:]. */
    void lastPositionBackward(Tensor dOut, Tensor dX);

    /** out[m,b,:] = sum_t x[m,b,t,:]. x [M, B, T, D], out [M, B, D]. */
    void sumPositionsForward(Tensor x, Tensor out);

    /** dX[m,b,t,:] += dOut[m,b,:] for every t. */
    void sumPositionsBackward(Tensor dOut, Tensor dX);

    // ---- loss ---------------------------------------------------------------------------------

    /**
     * Log-softmax cross-entropy over all V classes, accumulated in float64 whatever the backend's
     * dtype. logits [M, B, V], labels I32 [M, B], weights [M, B] (per-example weight: 1/B for a plain
     * mean, 1/B_task for a sum of per-task means; 0 drops padding).
     *
     * @param perExample [M, B, 3]: cross-entropy, probability of the label, 1 if argmax == label else 0
     *                   (the first maximum wins ties, as torch.argmax)
     * @param loss       [M, 1]: sum_b weights[b] * cross-entropy[b]
     */
    default void crossEntropyForward(Tensor logits, Tensor labels, Tensor weights, Tensor perExample, Tensor loss) {
        crossEntropyForward(logits, labels, weights, LossMode.CROSS_ENTROPY, perExample, loss);
    }

    /**
     * The loss {@code mode} names (see {@link LossMode}) with the same weights and outputs as the
     * cross-entropy: perExample holds the example's loss, its "probability" of the label (softmax, or
     * s(z_y) / sum_j s(z_j) for StableMax) and whether the argmax is right. A backend without a mode
     * throws UnsupportedOperationException saying so (see {@link #supportsLoss}).
     */
    void crossEntropyForward(Tensor logits, Tensor labels, Tensor weights, LossMode mode, Tensor perExample, Tensor loss);

    /** dLogits[m,b,:] += weights[m,b] * (softmax(logits[m,b,:]) - onehot(labels[m,b])), the gradient of loss. */
    default void crossEntropyBackward(Tensor logits, Tensor labels, Tensor weights, Tensor dLogits) {
        crossEntropyBackward(logits, labels, weights, LossMode.CROSS_ENTROPY, dLogits);
    }

    /**
     * dLogits += the gradient of the {@code mode} loss; for StableMax, weights[m,b] * (s'(z_j) / sum s
     * - [j == y] s'(z_y) / s(z_y)) with s'(x) = 1 for x >= 0, 1 / (1 - x)^2 for x &lt; 0.
     */
    void crossEntropyBackward(Tensor logits, Tensor labels, Tensor weights, LossMode mode, Tensor dLogits);

    /**
     * Null when this backend computes the {@code mode} loss, else why not (a config asking for it is
     * refused with it). Every backend computes the seed's cross-entropy; the others are opt-in.
     */
    default String supportsLoss(LossMode mode) {
        return mode.isDefault() ? null : "the " + name() + " backend has no kernel for the loss " + mode + " yet (only the"
                + " float64 cross-entropy); train with --backend cpu (or cpuref), or leave loss and loss_precision out";
    }

    // ---- the optimizer ------------------------------------------------------------------------

    /**
     * Lp penalty over a whole parameter block: penalty[m] = alpha * sum_i |w_i|^p (trainable entries
     * only) and grads += alpha * p * |w|^(p-1) * sign(w). params, grads [M, P]; penalty [M, 1].
     */
    void lpPenalty(Tensor params, Tensor trainable, double p, double alpha, Tensor grads, Tensor penalty);

    /**
     * One AdamW step on whole parameter blocks [M, P], with PyTorch's semantics: t = step + 1;
     * where trainable: w -= lr*wd*w (decoupled decay, first), m = b1 m + (1-b1) g,
     * v = b2 v + (1-b2) g^2, w -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps);
     * then step = t. Frozen entries keep their weights and moments.
     */
    void adamwStep(Tensor params, Tensor grads, Tensor m, Tensor v, AdamWSettings settings);

    /**
     * Whether {@link #adamwStep} honours {@link AdamWSettings#coupledDecay} and {@link
     * AdamWSettings#warmupSteps}: then, with coupled decay, g + wd w replaces g in the moments and
     * there is no decoupled decay; with warm-up N, lr becomes lr min(step / N, 1) (step before this
     * one, so the first step has lr 0). A backend without them refuses configs that ask for them.
     */
    default boolean hasAdamOptions() {
        return false;
    }

    /**
     * ⊥Grad (Prieto et al. 2025) on a block of gradients [M, P], per stretch of every model
     * (offsets I32 [1, S + 1], one stretch per named parameter), over the entries whose {@code
     * trainable} [1, P] is 1 (the others are left out of the sums and left alone): with the float64
     * sums ww = w.w, wg = w.g, gg = g.g taken in index order, g_perp = g - (wg / ww) w and
     * g = g_perp sqrt(gg) / |g_perp|; a stretch with ww == 0 or |g_perp| == 0 keeps its gradient.
     */
    default void orthogonalGradient(Tensor params, Tensor grads, Tensor offsets, Tensor trainable) {
        throw new UnsupportedOperationException("the " + name() + " backend has no orthogonal gradient (optimizer.orthogonal) yet");
    }

    /** Whether {@link #orthogonalGradient} runs here; a backend without it refuses configs that ask for it. */
    default boolean hasOrthogonalGradient() {
        return false;
    }

    /**
     * Grokfast's gradient filter on a block of gradients [M, P], before AdamW, on the entries whose
     * {@code trainable} [1, P] is 1 (frozen ones are left alone). {@code count} [M, 1] holds how many
     * times the filter has run for each model and is advanced by one.
     * <ul>
     *   <li>{@code window == 0} (EMA): state [M, P]; state = g at the first call, else alpha state + (1 - alpha) g;
     *       then g += lambda state.</li>
     *   <li>{@code window >= 1} (moving average): state [M, window * P] is a ring of the last gradients (slot
     *       count mod window holds this one, before amplification); once window are held,
     *       g += lambda (their sum from the oldest to the newest) / window.</li>
     * </ul>
     */
    default void gradFilter(Tensor grads, Tensor state, Tensor count, Tensor trainable, double alpha, double lambda, int window) {
        throw new UnsupportedOperationException("the " + name() + " backend has no gradient filter (grad_filter) yet");
    }

    /** Whether {@link #gradFilter} runs here; a backend without it refuses configs that ask for one. */
    default boolean hasGradFilter() {
        return false;
    }

    /**
     * The L1 and L2 norms of stretches of every model's parameter block, summed in float64:
     * out[m, s, 0] = sum |w[m, i]| and out[m, s, 1] = sqrt(sum w[m, i]^2) over offsets[s] <= i < offsets[s + 1].
     * params [M, P]; offsets I32 [1, S + 1], the same stretches for every model; out [M, S, 2].
     */
    void parameterNorms(Tensor params, Tensor offsets, Tensor out);

    // ---- repeatable work ----------------------------------------------------------------------

    /**
     * Runs {@code work}, a sequence of calls on this backend that touches the same tensors each time
     * it runs. A backend may record it under {@code key} on a first run and replay the record later
     * (CUDA graphs); the default just runs it.
     */
    default void runRepeatable(String key, Runnable work) {
        work.run();
    }

    /** Forgets recorded work (tensors it touched are about to change). */
    default void forgetRepeatable() {
    }

    @Override
    default void close() {
    }
}
