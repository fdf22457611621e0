package polygrok.train;

/**
 * The FLOPs of one epoch of the MLP model ({@code model.MlpModel}): every position's embedding goes
 * through {@code inproj} (d_emb -> d_model), the positions are summed, then {@code num_layers}
 * square layers (d_model -> d_model), {@code outproj} (d_model -> d_emb) and the unembedding
 * (d_emb -> V), once per example.
 *
 * @param nTrain examples in the train set (forward + backward each epoch)
 * @param nTest  examples in the test set (forward only)
 * @param nCtx   positions per example
 * @param dEmb   embedding width
 * @param dModel hidden width
 * @param layers hidden d_model x d_model layers
 * @param vocab  vocabulary size (unembedding outputs)
 * @param oneHot {@code "input": "one_hot"}: the first layer is the product of input.W [d_model, n_ctx V]
 *               with the concatenated one-hot positions (counted as that product, though it runs as a
 *               gather, as the PyTorch peer counts it), the last is output.W [V, d_model]; no d_emb
 */
public record MlpEpochFlops(int nTrain, int nTest, int nCtx, int dEmb, int dModel, int layers, int vocab, boolean oneHot)
        implements EpochFlopCount {
    public MlpEpochFlops {
        if (nTrain < 0 || nTest < 0 || nCtx < 1 || dEmb < 1 || dModel < 1 || layers < 0 || vocab < 1) {
            throw new IllegalArgumentException("MlpEpochFlops(" + nTrain + ", " + nTest + ", " + nCtx + ", " + dEmb + ", " + dModel
                    + ", " + layers + ", " + vocab + "): counts must be >= 0, sizes >= 1");
        }
    }

    /** The embedded MLP model. */
    public MlpEpochFlops(int nTrain, int nTest, int nCtx, int dEmb, int dModel, int layers, int vocab) {
        this(nTrain, nTest, nCtx, dEmb, dModel, layers, vocab, false);
    }

    @Override
    public long forwardPerExample() {
        if (oneHot) {
            return 2L * nCtx * vocab * dModel + 2L * layers * dModel * dModel + 2L * dModel * vocab;
        }
        long inproj = 2L * nCtx * dEmb * dModel;
        long hidden = 2L * layers * dModel * dModel;
        long outproj = 2L * dModel * dEmb;
        long unembed = 2L * dEmb * vocab;
        return inproj + hidden + outproj + unembed;
    }
}
