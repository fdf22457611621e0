package polygrok.model;

import polygrok.autograd.Tape;
import polygrok.backend.OpShapes;
import polygrok.tensor.Tensor;

/**
 * The tokens of [M, B, n_ctx] with position t's shifted by t * V: indices into one table of n_ctx * V
 * columns, one block of V per position. Embedding them and summing the positions is the product of a
 * weight [D, n_ctx * V] with the concatenated one-hot vectors of the positions ({@link MlpModel}).
 */
final class PositionTokens {
    /** The tape keeps the shifted tokens under this key; they are rewritten on every pass. */
    static final String KEY = "one-hot position tokens";

    private PositionTokens() {
    }

    /**
     * Shifted on the host: the tokens are read back and the result uploaded, which a CPU backend does
     * in a copy (the backends that keep tensors on a device refuse one-hot input; see BackendOptions).
     */
    static Tensor shifted(Tape tape, Tensor tokens, int vocab) {
        int[] values = tape.backend().toInts(tokens);
        int nCtx = tokens.dim(2);
        for (int i = 0; i < values.length; i++) {
            OpShapes.checkToken(values[i], vocab, "one-hot input: token");
            values[i] += (i % nCtx) * vocab;
        }
        return tape.uploadedInts(KEY, tokens.shape(), values);
    }

    /** The tape keeps the interleaved tokens under this key; they are rewritten on every pass. */
    static final String INTERLEAVED_KEY = "token-position indices";

    /**
     * Each token of [M, B, n_ctx] as token * n_ctx + t: the index of its (token, position) pair in a
     * table with one column per pair, the n_ctx positions of a token next to each other (as
     * {@code Transformer} builds its first block's tables when the model has positional embeddings).
     * Read back and uploaded like {@link #shifted}.
     */
    static Tensor interleaved(Tape tape, Tensor tokens, int vocab) {
        int[] values = tape.backend().toInts(tokens);
        int nCtx = tokens.dim(2);
        for (int i = 0; i < values.length; i++) {
            OpShapes.checkToken(values[i], vocab, "token");
            values[i] = values[i] * nCtx + i % nCtx;
        }
        return tape.uploadedInts(INTERLEAVED_KEY, tokens.shape(), values);
    }
}
