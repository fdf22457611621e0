package polygrok.train;

/**
 * The floating-point operations one training epoch must do for a transformer: a full-batch forward
 * and backward on the train set, then a forward on the test set. A multiply-add counts as 2 FLOPs.
 * Only matrix products are counted; softmax, activations, residual adds, the float64
 * cross-entropy, the embedding scatter-add and AdamW are left out (together well under 1% for the
 * paper configuration). bench/README.md writes out the derivation.
 *
 * <p>Every block computes every position, except that with {@code lastOnly} the final block
 * computes its query, attention mix, output projection and MLP for the last position alone (its
 * keys and values still cover the whole context). The unembedding always maps the last position
 * only: the loss reads nothing else. Backward costs twice the forward: each product {@code Y = X W}
 * needs both {@code dX = dY W^T} and {@code dW = X^T dY} (the first layer's input gradient is still
 * needed, since the embedding is trained), and each attention product needs the gradients of both
 * of its operands.
 *
 * @param nTrain   examples in the train set (forward + backward each epoch)
 * @param nTest    examples in the test set (forward only)
 * @param nCtx     positions per example (3 for [a, op, b])
 * @param dModel   residual width
 * @param heads    attention heads
 * @param dHead    width of one head
 * @param dMlp     MLP hidden width
 * @param layers   transformer blocks
 * @param vocab    vocabulary size (unembedding outputs)
 * @param lastOnly whether the final block computes the last position only
 */
public record EpochFlops(int nTrain, int nTest, int nCtx, int dModel, int heads, int dHead, int dMlp,
                         int layers, int vocab, boolean lastOnly) implements EpochFlopCount {

    public EpochFlops {
        requireAtLeast("nTrain", nTrain, 0);
        requireAtLeast("nTest", nTest, 0);
        requireAtLeast("nCtx", nCtx, 1);
        requireAtLeast("dModel", dModel, 1);
        requireAtLeast("heads", heads, 1);
        requireAtLeast("dHead", dHead, 1);
        requireAtLeast("dMlp", dMlp, 1);
        requireAtLeast("layers", layers, 1);
        requireAtLeast("vocab", vocab, 1);
    }

    private static void requireAtLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException("EpochFlops." + field + " = " + value + ": must be >= " + min);
        }
    }

    /** Forward FLOPs of one example through the whole model (all blocks, then the unembedding). */
    @Override
    public long forwardPerExample() {
        long total = 0;
        for (int layer = 0; layer < layers; layer++) {
            boolean reduced = lastOnly && layer == layers - 1;
            total += blockForward(reduced ? 1 : nCtx, reduced);
        }
        return total + 2L * dModel * vocab; // unembedding of the last position
    }

    /**
     * One block's forward for one example, with {@code queries} query positions (nCtx, or 1 for
     * the reduced last block). Keys and values always cover all nCtx positions.
     */
    private long blockForward(int queries, boolean reduced) {
        long hd = (long) heads * dHead;
        long q = 2L * queries * dModel * hd;
        long kv = 2L * 2L * nCtx * dModel * hd;
        // Causal pairs (query, key): the full triangle nCtx(nCtx+1)/2, or nCtx keys for the last query.
        long pairs = reduced ? nCtx : (long) nCtx * (nCtx + 1) / 2;
        long scores = 2L * heads * pairs * dHead;
        long mix = 2L * heads * pairs * dHead;
        long outProj = 2L * queries * hd * dModel;
        long mlp = 2L * 2L * queries * dModel * dMlp;
        return q + kv + scores + mix + outProj + mlp;
    }

}
