package polygrok.autograd;

import polygrok.backend.Activation;
import polygrok.backend.AttentionSaved;
import polygrok.backend.Backend;
import polygrok.backend.LossMode;
import polygrok.backend.WeightLayout;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * The differentiable ops of the model, each a thin layer over one {@link Backend} forward call
 * that records the matching backward call on the tape. Shapes as in {@link Backend}.
 */
public final class Ops {
    private final Tape tape;
    private final Backend be;

    public Ops(Tape tape) {
        this.tape = tape;
        this.be = tape.backend();
    }

    public Tape tape() {
        return tape;
    }

    /** The gradient to add into: v's own, or a scratch sink when v takes no gradient. */
    private Tensor gradOrSink(Var v) {
        return v.requiresGrad ? tape.gradOf(v) : tape.alloc(v.shape());
    }

    private static boolean any(Var... vs) {
        for (Var v : vs) {
            if (v.requiresGrad) {
                return true;
            }
        }
        return false;
    }

    /** [M, B, T, D] embeddings of tokens [M, B, T] (I32). */
    public Var embed(Var wE, Tensor tokens) {
        Shape s = tokens.shape();
        Var out = tape.output(Shape.of(s.dim(0), s.dim(1), s.dim(2), wE.shape().dim(1)), wE.requiresGrad);
        be.embedForward(wE.value, tokens, out.value);
        tape.record(() -> {
            if (out.grad != null && wE.requiresGrad) {
                be.embedBackward(out.grad, tokens, tape.gradOf(wE));
            }
        });
        return out;
    }

    /** [M, B, D]: the sum over positions of the embeddings of tokens [M, B, T], in one pass ({@code sumPositions(embed(...))}). */
    public Var embedSum(Var table, Tensor tokens) {
        Shape s = tokens.shape();
        Var out = tape.output(Shape.of(s.dim(0), s.dim(1), table.shape().dim(1)), table.requiresGrad);
        be.embedSumForward(table.value, tokens, out.value);
        tape.record(() -> {
            if (out.grad != null && table.requiresGrad) {
                be.embedSumBackward(out.grad, tokens, tape.gradOf(table));
            }
        });
        return out;
    }

    /** x + W_pos (broadcast over examples). */
    public Var positional(Var x, Var wPos) {
        Var out = tape.output(x.shape(), any(x, wPos));
        be.copy(x.value, out.value);
        be.positionalForward(wPos.value, out.value);
        tape.record(() -> {
            if (out.grad == null) {
                return;
            }
            if (x.requiresGrad) {
                be.addInto(out.grad, tape.gradOf(x));
            }
            if (wPos.requiresGrad) {
                be.positionalBackward(out.grad, tape.gradOf(wPos));
            }
        });
        return out;
    }

    /** Fused causal attention; [M, B, Tq, D] with Tq = 1 when lastOnly. */
    public Var attention(Var x, Var wQ, Var wK, Var wV, Var wO, boolean lastOnly) {
        return attention(x, wQ, wK, wV, wO, lastOnly, null);
    }

    /** As {@link #attention(Var, Var, Var, Var, Var, boolean)}, handing the saved tensors to {@code saw}. */
    public Var attention(Var x, Var wQ, Var wK, Var wV, Var wO, boolean lastOnly,
                         java.util.function.Consumer<AttentionSaved> saw) {
        int m = x.shape().dim(0), b = x.shape().dim(1), t = x.shape().dim(2), d = x.shape().dim(3);
        int h = wQ.shape().dim(1), dh = wQ.shape().dim(2), tq = lastOnly ? 1 : t;
        AttentionSaved saved = new AttentionSaved(
                tape.alloc(Shape.of(m, b, tq, h, dh)),
                tape.alloc(Shape.of(m, b, t, h, dh)),
                tape.alloc(Shape.of(m, b, t, h, dh)),
                tape.alloc(Shape.of(m, b, h, tq, t)),
                tape.alloc(Shape.of(m, b, tq, h * dh)));
        Var out = tape.output(Shape.of(m, b, tq, d), any(x, wQ, wK, wV, wO));
        be.attentionForward(x.value, wQ.value, wK.value, wV.value, wO.value, lastOnly, saved, out.value);
        if (saw != null) {
            saw.accept(saved);
        }
        tape.record(() -> {
            if (out.grad != null) {
                be.attentionBackward(x.value, wQ.value, wK.value, wV.value, wO.value, lastOnly, saved, out.grad,
                        gradOrSink(x), gradOrSink(wQ), gradOrSink(wK), gradOrSink(wV), gradOrSink(wO));
            }
        });
        return out;
    }

    /**
     * The attention core on given queries q [M, B, Tq, H*Dh], keys and values k, v [M, B, T, H*Dh]:
     * {@link #attention} without its input projections; [M, B, Tq, D] with Tq = 1 when lastOnly.
     */
    public Var attentionCore(Var q, Var k, Var v, Var wO, int heads, boolean lastOnly,
                             java.util.function.Consumer<AttentionSaved> saw) {
        int m = k.shape().dim(0), b = k.shape().dim(1), t = k.shape().dim(2), hd = k.shape().dim(3);
        int d = wO.shape().dim(1), dh = hd / heads, tq = lastOnly ? 1 : t;
        Shape qs = Shape.of(m, b, tq, heads, dh), ks = Shape.of(m, b, t, heads, dh);
        AttentionSaved saved = new AttentionSaved(q.value.reshape(qs), k.value.reshape(ks), v.value.reshape(ks),
                tape.alloc(Shape.of(m, b, heads, tq, t)),
                tape.alloc(Shape.of(m, b, tq, hd)));
        Var out = tape.output(Shape.of(m, b, tq, d), any(q, k, v, wO));
        be.attentionCoreForward(wO.value, lastOnly, saved, out.value);
        if (saw != null) {
            saw.accept(saved);
        }
        tape.record(() -> {
            if (out.grad != null) {
                be.attentionCoreBackward(wO.value, lastOnly, saved, out.grad, gradOrSink(q).reshape(qs),
                        gradOrSink(k).reshape(ks), gradOrSink(v).reshape(ks), gradOrSink(wO));
            }
        });
        return out;
    }

    /** act(x W_in^T) W_out^T over the last axis of x [M, ..., D]. */
    public Var mlp(Var x, Var wIn, Var wOut, Activation act) {
        return mlp(x, wIn, wOut, act, null);
    }

    /** As {@link #mlp(Var, Var, Var, Activation)}, handing the pre-activations [M, N, F] to {@code saw}. */
    public Var mlp(Var x, Var wIn, Var wOut, Activation act, java.util.function.Consumer<Tensor> saw) {
        Shape s = x.shape();
        int rows = (int) (s.perModel() / s.dim(-1));
        Shape flat = Shape.of(s.dim(0), rows, s.dim(-1));
        Tensor pre = tape.alloc(Shape.of(s.dim(0), rows, wIn.shape().dim(1)));
        Var out = tape.output(s, any(x, wIn, wOut));
        be.mlpForward(x.value.reshape(flat), wIn.value, wOut.value, act, pre, out.value.reshape(flat));
        if (saw != null) {
            saw.accept(pre);
        }
        tape.record(() -> {
            if (out.grad != null) {
                be.mlpBackward(x.value.reshape(flat), wIn.value, wOut.value, act, pre, out.grad.reshape(flat),
                        gradOrSink(x).reshape(flat), gradOrSink(wIn), gradOrSink(wOut));
            }
        });
        return out;
    }

    /** x W^T or x W over the last axis of x [M, ..., In]. */
    public Var linear(Var x, Var w, WeightLayout layout) {
        Shape s = x.shape();
        int in = s.dim(-1), rows = (int) (s.perModel() / in);
        int outDim = layout == WeightLayout.OUT_IN ? w.shape().dim(1) : w.shape().dim(2);
        int[] dims = s.dims();
        dims[dims.length - 1] = outDim;
        Var out = tape.output(Shape.of(dims), any(x, w));
        Shape xFlat = Shape.of(s.dim(0), rows, in), yFlat = Shape.of(s.dim(0), rows, outDim);
        be.linearForward(x.value.reshape(xFlat), w.value, layout, out.value.reshape(yFlat));
        tape.record(() -> {
            if (out.grad != null) {
                be.linearBackward(x.value.reshape(xFlat), w.value, layout, out.grad.reshape(yFlat),
                        gradOrSink(x).reshape(xFlat), gradOrSink(w));
            }
        });
        return out;
    }

    /**
     * x + b over the last axis of x [M, ..., D], b [M, D] (a bias). No op of its own: the positional add
     * on views where every row of x is an example with one position, and b the table of that position.
     */
    public Var addBias(Var x, Var b) {
        Shape s = x.shape();
        int d = s.dim(-1), rows = (int) (s.perModel() / d);
        Var y = positional(reshape(x, Shape.of(s.dim(0), rows, 1, d)), reshape(b, Shape.of(s.dim(0), 1, d)));
        return reshape(y, s);
    }

    public Var activation(Var x, Activation act) {
        Var out = tape.output(x.shape(), x.requiresGrad);
        be.activationForward(act, x.value, out.value);
        tape.record(() -> {
            if (out.grad != null && x.requiresGrad) {
                be.activationBackward(act, x.value, out.grad, tape.gradOf(x));
            }
        });
        return out;
    }

    /** LayerNorm over the last axis (eps 1e-5, as the seed's). */
    public Var layerNorm(Var x, Var w, Var bias) {
        Shape s = x.shape();
        int d = s.dim(-1), rows = (int) (s.perModel() / d);
        Shape flat = Shape.of(s.dim(0), rows, d);
        Tensor mean = tape.alloc(Shape.of(s.dim(0), rows)), rstd = tape.alloc(Shape.of(s.dim(0), rows));
        Var out = tape.output(s, any(x, w, bias));
        be.layerNormForward(x.value.reshape(flat), w.value, bias.value, 1e-5, mean, rstd, out.value.reshape(flat));
        tape.record(() -> {
            if (out.grad != null) {
                be.layerNormBackward(x.value.reshape(flat), w.value, mean, rstd, out.grad.reshape(flat),
                        gradOrSink(x).reshape(flat), gradOrSink(w), gradOrSink(bias));
            }
        });
        return out;
    }

    public Var add(Var a, Var b) {
        Var out = tape.output(a.shape(), any(a, b));
        be.add(a.value, b.value, out.value);
        tape.record(() -> {
            if (out.grad == null) {
                return;
            }
            if (a.requiresGrad) {
                be.addInto(out.grad, tape.gradOf(a));
            }
            if (b.requiresGrad) {
                be.addInto(out.grad, tape.gradOf(b));
            }
        });
        return out;
    }

    /** [M, B, 1, D] from [M, B, T, D]. */
    public Var lastPosition(Var x) {
        Shape s = x.shape();
        Var out = tape.output(Shape.of(s.dim(0), s.dim(1), 1, s.dim(3)), x.requiresGrad);
        be.lastPositionForward(x.value, out.value);
        tape.record(() -> {
            if (out.grad != null && x.requiresGrad) {
                be.lastPositionBackward(out.grad, tape.gradOf(x));
            }
        });
        return out;
    }

    /** [M, B, D] sums over positions of [M, B, T, D]. */
    public Var sumPositions(Var x) {
        Shape s = x.shape();
        Var out = tape.output(Shape.of(s.dim(0), s.dim(1), s.dim(3)), x.requiresGrad);
        be.sumPositionsForward(x.value, out.value);
        tape.record(() -> {
            if (out.grad != null && x.requiresGrad) {
                be.sumPositionsBackward(out.grad, tape.gradOf(x));
            }
        });
        return out;
    }

    /**
     * The same values under another shape (same model count and size), as a view: no copy. Its gradient
     * is a view of x's gradient, so what flows into it lands in x's directly.
     */
    public Var reshape(Var x, Shape to) {
        boolean grad = x.requiresGrad && tape.recording();
        return new Var(x.value.reshape(to), grad ? tape.gradOf(x).reshape(to) : null, grad);
    }

    /**
     * Weighted cross-entropy of logits [M, B, V] against labels [M, B]; it is the root of the
     * backward (its gradient with respect to itself is 1).
     */
    public Loss crossEntropy(Var logits, Tensor labels, Tensor weights) {
        return crossEntropy(logits, labels, weights, LossMode.CROSS_ENTROPY);
    }

    /** The loss {@code mode} names (StableMax, float32 arithmetic; see {@link LossMode}), weighted as the cross-entropy. */
    public Loss crossEntropy(Var logits, Tensor labels, Tensor weights, LossMode mode) {
        Shape s = logits.shape();
        Tensor perExample = tape.alloc(Shape.of(s.dim(0), s.dim(1), 3));
        Tensor loss = tape.alloc(Shape.of(s.dim(0), 1));
        be.crossEntropyForward(logits.value, labels, weights, mode, perExample, loss);
        tape.record(() -> {
            if (logits.requiresGrad) {
                be.crossEntropyBackward(logits.value, labels, weights, mode, tape.gradOf(logits));
            }
        });
        return new Loss(loss, perExample, logits.value);
    }
}
