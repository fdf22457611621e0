package polygrok.backend;

import polygrok.tensor.Tensor;

/**
 * The shapes each {@link Backend} op accepts: one method per op, named after it and taking the op's
 * tensors, that every backend calls first thing, before any work, so that a wrong shape fails the same
 * way on every backend with an IllegalArgumentException naming op, tensor and both shapes, and not
 * later, somewhere else (on a GPU, as an out-of-bounds access that can take the context down). The
 * checks read shapes only (O(rank) per call). Where an op needs sizes derived from the shapes, the check
 * returns them.
 */
public final class OpShapes {
    private OpShapes() {
    }

    private static int perModel(Tensor t) {
        return Math.toIntExact(t.perModel());
    }

    /** Refuses two tensors an op needs to be of one shape, naming the op. */
    public static void sameShape(String op, Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException(op + ": shape mismatch " + a.shape() + " vs " + b.shape());
        }
    }

    // ---- memory -------------------------------------------------------------------------------

    public static void copy(Tensor src, Tensor dst) {
        sameShape("copy", src, dst);
    }

    public static void add(Tensor a, Tensor b, Tensor out) {
        sameShape("add", a, b);
        sameShape("add", a, out);
    }

    // ---- embedding ----------------------------------------------------------------------------

    public static void embedForward(Tensor wE, Tensor tokens, Tensor out) {
        ShapeCheck.requireSize("embedForward", "out", out, tokens.models(), tokens.perModel() * wE.dim(1));
    }

    public static void embedBackward(Tensor dOut, Tensor tokens, Tensor dWE) {
        ShapeCheck.requireSize("embedBackward", "dOut", dOut, tokens.models(), tokens.perModel() * dWE.dim(1));
    }

    /** tokens [M, B, T], out [M, B, D] with D the table's rows. */
    public static void embedSumForward(Tensor table, Tensor tokens, Tensor out) {
        ShapeCheck.requireRank("embedSumForward", "tokens", tokens, 3);
        ShapeCheck.require("embedSumForward", "out", out, tokens.models(), tokens.dim(1), table.dim(1));
    }

    /** tokens [M, B, T], dOut [M, B, D] with D dTable's rows. */
    public static void embedSumBackward(Tensor dOut, Tensor tokens, Tensor dTable) {
        ShapeCheck.requireRank("embedSumBackward", "tokens", tokens, 3);
        ShapeCheck.require("embedSumBackward", "dOut", dOut, tokens.models(), tokens.dim(1), dTable.dim(1));
    }

    public static void positionalForward(Tensor wPos, Tensor x) {
        if (wPos.dim(1) < x.dim(2)) {
            throw new IllegalArgumentException("positionalForward: W_pos " + wPos.shape() + " has fewer positions than x " + x.shape());
        }
    }

    public static void positionalBackward(Tensor dX, Tensor dWPos) {
        if (dWPos.dim(1) < dX.dim(2)) {
            throw new IllegalArgumentException("positionalBackward: dW_pos " + dWPos.shape() + " has fewer positions than dX "
                    + dX.shape());
        }
    }

    /**
     * Refuses a token (or label) outside [0, vocab): an index check, made where the value is read, with
     * {@code what} naming it ("embed: token", "crossEntropy: label").
     */
    public static void checkToken(int token, int vocab, String what) {
        if (token < 0 || token >= vocab) {
            throw new IllegalArgumentException(what + " " + token + " outside the vocabulary [0, " + vocab + ")");
        }
    }

    // ---- attention ----------------------------------------------------------------------------

    /** Sizes of an attention call, after checking every tensor the kernels will index. */
    static AttentionDims attentionDims(String op, Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO,
                                                 boolean lastOnly, AttentionSaved s) {
        int m = x.models(), b = x.dim(1), t = x.dim(2), d = x.dim(3), h = wQ.dim(1), dh = wQ.dim(2);
        ShapeCheck.require(op, "W_Q", wQ, m, h, dh, d);
        ShapeCheck.require(op, "W_K", wK, m, h, dh, d);
        ShapeCheck.require(op, "W_V", wV, m, h, dh, d);
        ShapeCheck.require(op, "W_O", wO, m, d, h * dh);
        ShapeCheck.require(op, "saved.k", s.k(), m, b, t, h, dh);
        return attentionCoreDims(op, wO, lastOnly, s);
    }

    /** Sizes of an attention-core call, after checking every tensor the kernels will index. */
    static AttentionDims attentionCoreDims(String op, Tensor wO, boolean lastOnly, AttentionSaved s) {
        Tensor k = s.k();
        int m = k.models(), b = k.dim(1), t = k.dim(2), h = k.dim(3), dh = k.dim(4), d = wO.dim(1), tq = lastOnly ? 1 : t;
        ShapeCheck.require(op, "W_O", wO, m, d, h * dh);
        ShapeCheck.require(op, "saved.q", s.q(), m, b, tq, h, dh);
        ShapeCheck.require(op, "saved.v", s.v(), m, b, t, h, dh);
        ShapeCheck.require(op, "saved.pattern", s.pattern(), m, b, h, tq, t);
        ShapeCheck.require(op, "saved.z", s.z(), m, b, tq, h * dh);
        return new AttentionDims(m, b, t, d, h, dh, lastOnly);
    }

    public static AttentionDims attentionForward(Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO, boolean lastOnly,
                                                    AttentionSaved s, Tensor out) {
        AttentionDims a = attentionDims("attentionForward", x, wQ, wK, wV, wO, lastOnly, s);
        ShapeCheck.require("attentionForward", "out", out, a.models(), a.batch(), a.tq(), a.d());
        return a;
    }

    public static AttentionDims attentionBackward(Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO, boolean lastOnly,
                                                     AttentionSaved s, Tensor dOut,
                                                     Tensor dX, Tensor dWQ, Tensor dWK, Tensor dWV, Tensor dWO) {
        String op = "attentionBackward";
        AttentionDims a = attentionDims(op, x, wQ, wK, wV, wO, lastOnly, s);
        ShapeCheck.require(op, "dOut", dOut, a.models(), a.batch(), a.tq(), a.d());
        ShapeCheck.require(op, "dX", dX, x.shape().dims());
        ShapeCheck.require(op, "dW_Q", dWQ, wQ.shape().dims());
        ShapeCheck.require(op, "dW_K", dWK, wK.shape().dims());
        ShapeCheck.require(op, "dW_V", dWV, wV.shape().dims());
        ShapeCheck.require(op, "dW_O", dWO, wO.shape().dims());
        return a;
    }

    public static AttentionDims attentionCoreForward(Tensor wO, boolean lastOnly, AttentionSaved s, Tensor out) {
        AttentionDims a = attentionCoreDims("attentionCoreForward", wO, lastOnly, s);
        ShapeCheck.require("attentionCoreForward", "out", out, a.models(), a.batch(), a.tq(), a.d());
        return a;
    }

    public static AttentionDims attentionCoreBackward(Tensor wO, boolean lastOnly, AttentionSaved s, Tensor dOut,
                                                         Tensor dQ, Tensor dK, Tensor dV, Tensor dWO) {
        String op = "attentionCoreBackward";
        AttentionDims a = attentionCoreDims(op, wO, lastOnly, s);
        ShapeCheck.require(op, "dOut", dOut, a.models(), a.batch(), a.tq(), a.d());
        ShapeCheck.requireSize(op, "dQ", dQ, a.models(), (long) a.batch() * a.tq() * a.hd());
        ShapeCheck.requireSize(op, "dK", dK, a.models(), (long) a.batch() * a.t() * a.hd());
        ShapeCheck.requireSize(op, "dV", dV, a.models(), (long) a.batch() * a.t() * a.hd());
        ShapeCheck.require(op, "dW_O", dWO, wO.shape().dims());
        return a;
    }

    // ---- MLP and linear -----------------------------------------------------------------------

    /** x [M, N, D] (any leading shape of N rows), W_in [M, F, D], W_out [M, D, F], pre [M, N, F], out [M, N, D]. Returns N. */
    public static int mlpForward(Tensor x, Tensor wIn, Tensor wOut, Tensor pre, Tensor out) {
        int d = x.dim(-1), f = wIn.dim(1), n = perModel(x) / d;
        checkMlp("mlpForward", x, wIn, wOut, pre, out, d, f, n);
        return n;
    }

    /** The forward's shapes, with dOut and dX like out and x, dW_in and dW_out like the weights. Returns N. */
    public static int mlpBackward(Tensor x, Tensor wIn, Tensor wOut, Tensor pre, Tensor dOut, Tensor dX, Tensor dWIn, Tensor dWOut) {
        int d = x.dim(-1), f = wIn.dim(1), n = perModel(x) / d;
        checkMlp("mlpBackward", x, wIn, wOut, pre, dOut, d, f, n);
        ShapeCheck.requireSize("mlpBackward", "dX", dX, x.models(), (long) n * d);
        ShapeCheck.require("mlpBackward", "dW_in", dWIn, wIn.shape().dims());
        ShapeCheck.require("mlpBackward", "dW_out", dWOut, wOut.shape().dims());
        return n;
    }

    /** x [M, n, d] (any leading shape of n rows), W_in [M, f, d], W_out [M, d, f], pre [M, n, f], out/dOut [M, n, d]. */
    private static void checkMlp(String op, Tensor x, Tensor wIn, Tensor wOut, Tensor pre, Tensor out, int d, int f, int n) {
        int m = x.models();
        ShapeCheck.require(op, "W_in", wIn, m, f, d);
        ShapeCheck.require(op, "W_out", wOut, m, d, f);
        ShapeCheck.requireSize(op, "pre", pre, m, (long) n * f);
        ShapeCheck.requireSize(op, "out/dOut", out, m, (long) n * d);
    }

    /** x [M, N, In] (any leading shape of N rows), W [M, Out, In] (OUT_IN) or [M, In, Out] (IN_OUT), y [M, N, Out]. Returns N. */
    public static int linearForward(Tensor x, Tensor w, WeightLayout layout, Tensor y) {
        int in = x.dim(-1), out = y.dim(-1), n = perModel(x) / in;
        checkLinear("linearForward", x, w, layout, y, n, in, out);
        return n;
    }

    /** The forward's shapes, with dY like y, dX like x and dW like W. Returns N. */
    public static int linearBackward(Tensor x, Tensor w, WeightLayout layout, Tensor dY, Tensor dX, Tensor dW) {
        int in = x.dim(-1), out = dY.dim(-1), n = perModel(x) / in;
        checkLinear("linearBackward", x, w, layout, dY, n, in, out);
        ShapeCheck.requireSize("linearBackward", "dX", dX, x.models(), (long) n * in);
        ShapeCheck.require("linearBackward", "dW", dW, w.shape().dims());
        return n;
    }

    /** x [M, n, in], W [M, out, in] or [M, in, out], y [M, n, out]. */
    private static void checkLinear(String op, Tensor x, Tensor w, WeightLayout layout, Tensor y, int n, int in, int out) {
        int m = x.models();
        if (layout == WeightLayout.OUT_IN) {
            ShapeCheck.require(op, "W (OUT_IN)", w, m, out, in);
        } else {
            ShapeCheck.require(op, "W (IN_OUT)", w, m, in, out);
        }
        ShapeCheck.requireSize(op, "y/dY", y, m, (long) n * out);
    }

    /** out like x. */
    public static void activationForward(Tensor x, Tensor out) {
        sameShape("activationForward", x, out);
    }

    /** dOut and dX like x. */
    public static void activationBackward(Tensor x, Tensor dOut, Tensor dX) {
        sameShape("activationBackward", x, dOut);
        sameShape("activationBackward", x, dX);
    }

    // ---- LayerNorm ----------------------------------------------------------------------------

    /**
     * x [M, N, D] (any leading shape of N rows), w, b [M, D], mean, rstd [M, N], out like x. Returns N,
     * the rows the kernels normalise.
     */
    public static int layerNormForward(Tensor x, Tensor w, Tensor b, Tensor mean, Tensor rstd, Tensor out) {
        String op = "layerNormForward";
        int m = x.models(), d = x.dim(-1), rows = perModel(x) / d;
        ShapeCheck.require(op, "w", w, m, d);
        ShapeCheck.require(op, "b", b, m, d);
        ShapeCheck.requireSize(op, "mean", mean, m, rows);
        ShapeCheck.requireSize(op, "rstd", rstd, m, rows);
        ShapeCheck.requireSize(op, "out", out, m, (long) rows * d);
        return rows;
    }

    /** The forward's shapes, with dOut and dX like x and dW, dB like w. Returns N. */
    public static int layerNormBackward(Tensor x, Tensor w, Tensor mean, Tensor rstd, Tensor dOut, Tensor dX, Tensor dW, Tensor dB) {
        String op = "layerNormBackward";
        int m = x.models(), d = x.dim(-1), rows = perModel(x) / d;
        ShapeCheck.require(op, "w", w, m, d);
        ShapeCheck.requireSize(op, "mean", mean, m, rows);
        ShapeCheck.requireSize(op, "rstd", rstd, m, rows);
        ShapeCheck.requireSize(op, "dOut", dOut, m, (long) rows * d);
        ShapeCheck.requireSize(op, "dX", dX, m, (long) rows * d);
        ShapeCheck.require(op, "dW", dW, m, d);
        ShapeCheck.require(op, "dB", dB, m, d);
        return rows;
    }

    // ---- positions ----------------------------------------------------------------------------

    /**
     * {@code positions} [M, B, T, D], the tensor whose axes the kernels read; {@code perPosition} holds one
     * row of D per example ([M, B, 1, D] or [M, B, D]).
     */
    private static void checkPositions(String op, String name, Tensor positions, String perName, Tensor perPosition) {
        ShapeCheck.requireRank(op, name, positions, 4);
        ShapeCheck.requireSize(op, perName, perPosition, positions.models(), (long) positions.dim(1) * positions.dim(3));
    }

    /** The kernels read position T - 1: there must be one whenever there is something to write. */
    private static void checkLastExists(String op, String name, Tensor positions) {
        if (positions.dim(2) == 0 && positions.dim(1) > 0 && positions.dim(3) > 0 && positions.models() > 0) {
            throw new IllegalArgumentException(op + ": " + name + " " + positions.shape() + " has no last position");
        }
    }

    /** x [M, B, T, D] with T >= 1, out [M, B, 1, D]. */
    public static void lastPositionForward(Tensor x, Tensor out) {
        checkPositions("lastPositionForward", "x", x, "out", out);
        checkLastExists("lastPositionForward", "x", x);
    }

    /** dOut [M, B, 1, D], dX [M, B, T, D] with T >= 1. */
    public static void lastPositionBackward(Tensor dOut, Tensor dX) {
        checkPositions("lastPositionBackward", "dX", dX, "dOut", dOut);
        checkLastExists("lastPositionBackward", "dX", dX);
    }

    /** x [M, B, T, D], out [M, B, D]. */
    public static void sumPositionsForward(Tensor x, Tensor out) {
        checkPositions("sumPositionsForward", "x", x, "out", out);
    }

    /** dOut [M, B, D], dX [M, B, T, D]. */
    public static void sumPositionsBackward(Tensor dOut, Tensor dX) {
        checkPositions("sumPositionsBackward", "dX", dX, "dOut", dOut);
    }

    // ---- loss and optimisation ----------------------------------------------------------------

    public static void crossEntropyForward(Tensor logits, Tensor labels, Tensor weights, Tensor perExample, Tensor loss) {
        int m = logits.models(), batch = logits.dim(1);
        ShapeCheck.require("crossEntropyForward", "labels", labels, m, batch);
        ShapeCheck.require("crossEntropyForward", "weights", weights, m, batch);
        ShapeCheck.require("crossEntropyForward", "perExample", perExample, m, batch, 3);
        ShapeCheck.requireSize("crossEntropyForward", "loss", loss, m, 1);
    }

    public static void crossEntropyBackward(Tensor logits, Tensor labels, Tensor weights, Tensor dLogits) {
        ShapeCheck.require("crossEntropyBackward", "labels", labels, logits.models(), logits.dim(1));
        ShapeCheck.require("crossEntropyBackward", "weights", weights, logits.models(), logits.dim(1));
        ShapeCheck.require("crossEntropyBackward", "dLogits", dLogits, logits.shape().dims());
    }

    public static void lpPenalty(Tensor params, Tensor trainable, Tensor grads, Tensor penalty) {
        ShapeCheck.requireSize("lpPenalty", "trainable", trainable, 1, params.perModel());
        ShapeCheck.require("lpPenalty", "grads", grads, params.shape().dims());
        ShapeCheck.requireSize("lpPenalty", "penalty", penalty, params.models(), 1);
    }

    /** offsets [stretches + 1], out [M, 2 * stretches]. Returns the number of stretches. */
    public static int parameterNorms(Tensor params, Tensor offsets, Tensor out) {
        int stretches = offsets.dim(-1) - 1;
        ShapeCheck.requireSize("parameterNorms", "offsets", offsets, 1, stretches + 1L);
        ShapeCheck.requireSize("parameterNorms", "out", out, params.models(), 2L * stretches);
        return stretches;
    }

    public static void adamwStep(Tensor params, Tensor grads, Tensor m, Tensor v, AdamWSettings s) {
        String op = "adamwStep";
        ShapeCheck.requireSize(op, "trainable", s.trainable(), 1, params.perModel());
        ShapeCheck.require(op, "grads", grads, params.shape().dims());
        ShapeCheck.require(op, "m", m, params.shape().dims());
        ShapeCheck.require(op, "v", v, params.shape().dims());
        ShapeCheck.requireSize(op, "lr", s.lr(), params.models(), 1);
        ShapeCheck.requireSize(op, "weightDecay", s.weightDecay(), params.models(), 1);
        ShapeCheck.requireSize(op, "step", s.step(), params.models(), 1);
    }

    /**
     * grads [M, P], state [M, max(1, window) * P] (the EMA, or a ring of window gradients), count [M, 1],
     * trainable [1, P].
     */
    public static void gradFilter(Tensor grads, Tensor state, Tensor count, Tensor trainable, int window) {
        String op = "gradFilter";
        ShapeCheck.requireSize(op, "state", state, grads.models(), Math.max(1, window) * grads.perModel());
        ShapeCheck.requireSize(op, "count", count, grads.models(), 1);
        ShapeCheck.requireSize(op, "trainable", trainable, 1, grads.perModel());
    }

    /** params, grads [M, P]; offsets I32 [1, S + 1]; trainable [1, P]. */
    public static void orthogonalGradient(Tensor params, Tensor grads, Tensor offsets, Tensor trainable) {
        String op = "orthogonalGradient";
        ShapeCheck.require(op, "grads", grads, params.shape().dims());
        ShapeCheck.requireSize(op, "offsets", offsets, 1, offsets.dim(-1));
        ShapeCheck.requireSize(op, "trainable", trainable, 1, params.perModel());
    }
}
