package polygrok.model;

import polygrok.autograd.Ops;
import polygrok.autograd.Var;
import polygrok.tensor.Shape;

/**
 * Every vocabulary entry's embedding as rows, [M, V, D] from W_E [M, D, V]: the input of the first
 * block's per-vocabulary tables ({@link Transformer}). It is an embedding lookup of the tokens
 * 0..V-1, so its backward adds into dW_E like any lookup.
 */
public final class VocabularyRows {
    /** The tape keeps the token tensor 0..V-1 under this key across passes. */
    static final String TOKENS_KEY = "vocabulary tokens";

    private VocabularyRows() {
    }

    public static Var of(Ops ops, Var wE) {
        int m = wE.shape().dim(0), d = wE.shape().dim(1), v = wE.shape().dim(2);
        var tokens = ops.tape().constantInts(TOKENS_KEY, Shape.of(m, 1, v), i -> i % v);
        return ops.reshape(ops.embed(wE, tokens), Shape.of(m, v, d));
    }
}
