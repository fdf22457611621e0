package polygrok.model;

import java.util.Map;
import java.util.function.Consumer;
import polygrok.autograd.Ops;
import polygrok.autograd.Var;
import polygrok.backend.Activation;
import polygrok.backend.AttentionSaved;
import polygrok.backend.WeightLayout;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * A transformer block's attention and MLP with biases ({@code "bias": true}). The fused ops have no
 * bias, so these compose them from the linear maps, {@link Ops#addBias} (the positional add on a view),
 * the attention core and the activation: the same products as the fused ops, in separate calls.
 */
final class BiasedLayers {
    private BiasedLayers() {
    }

    /**
     * Causal attention with q = W_Q x + b_Q, k = W_K x + b_K, v = W_V x + b_V (per head) and output
     * z W_O^T + b_O; [M, B, Tq, D] with Tq = 1 when lastOnly (the query of the last position alone).
     *
     * @param block the parameters' prefix, "blocks.l."
     */
    static Var attention(Ops ops, Map<String, Var> p, String block, Var x, int heads, boolean lastOnly,
                         Consumer<AttentionSaved> saw) {
        Var q = projection(ops, p, block, "Q", lastOnly ? ops.lastPosition(x) : x);
        Var k = projection(ops, p, block, "K", x);
        Var v = projection(ops, p, block, "V", x);
        Var out = ops.attentionCore(q, k, v, p.get(block + "attn.W_O"), heads, lastOnly, saw);
        return ops.addBias(out, p.get(block + "attn.b_O"));
    }

    /** x W^T + b for one of Q, K, V: W [M, H, Dh, D] read as [M, H*Dh, D], b [M, H, Dh]; [M, B, T, H*Dh]. */
    private static Var projection(Ops ops, Map<String, Var> p, String block, String which, Var x) {
        Var w = p.get(block + "attn.W_" + which);
        Shape ws = w.shape();
        Var flat = ops.reshape(w, Shape.of(ws.dim(0), ws.dim(1) * ws.dim(2), ws.dim(3)));
        return ops.addBias(ops.linear(x, flat, WeightLayout.OUT_IN), p.get(block + "attn.b_" + which));
    }

    /** act(x W_in^T + b_in) W_out^T + b_out over the last axis of x; {@code saw} (may be null) gets the pre-activations. */
    static Var mlp(Ops ops, Map<String, Var> p, String block, Var x, Activation act, Consumer<Tensor> saw) {
        Var pre = ops.addBias(ops.linear(x, p.get(block + "mlp.W_in"), WeightLayout.OUT_IN), p.get(block + "mlp.b_in"));
        if (saw != null) {
            Shape s = pre.shape();
            saw.accept(pre.value().reshape(Shape.of(s.dim(0), (int) (s.perModel() / s.dim(-1)), s.dim(-1))));
        }
        Var hidden = ops.activation(pre, act);
        return ops.addBias(ops.linear(hidden, p.get(block + "mlp.W_out"), WeightLayout.OUT_IN), p.get(block + "mlp.b_out"));
    }
}
