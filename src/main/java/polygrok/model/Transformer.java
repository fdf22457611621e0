package polygrok.model;

import java.util.Map;
import java.util.function.Consumer;
import polygrok.autograd.Ops;
import polygrok.autograd.Var;
import polygrok.backend.AttentionSaved;
import polygrok.backend.WeightLayout;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * The seed's transformer: token embedding (optionally plus a learned positional embedding), blocks of
 * causal attention and MLP on a residual stream (h += attn(h); h += mlp(h), LayerNorm before each when
 * enabled), no biases, unembedding of the last position. The interventions' options add biases to the
 * attention and MLP projections ({@link BiasedLayers}), a LayerNorm before the unembedding, and
 * Grokfast's normalised residual (h = LN1(h); h += attn(h); h += mlp(LN2(h))).
 */
public final class Transformer implements Model {
    private final ModelSpec spec;
    private final ParameterLayout layout = new ParameterLayout();
    /** The tape keeps the tokens of {@link #tokenTableAttention}'s (token, position) rows under this key. */
    private static final String VOCABULARY_GRID_KEY = "vocabulary at every position";
    /** Whether block 0 may run from per-vocabulary tables (false only to compare the two paths). */
    private final boolean tokenTables;

    public Transformer(ModelSpec spec) {
        this(spec, true);
    }

    Transformer(ModelSpec spec, boolean tokenTables) {
        this.spec = spec;
        this.tokenTables = tokenTables;
        int d = spec.dModel(), v = spec.vocab(), h = spec.numHeads(), dh = spec.dHead(), f = spec.dMlp();
        Inits init = spec.pytorchInit() ? Inits.pytorch(d, f) : Inits.seed(d, v);
        layout.add("embed.W_E", Shape.of(d, v), init.embed());
        if (spec.positional()) {
            layout.add("pos_embed.W_pos", Shape.of(spec.nCtx(), d), init.positions());
        }
        for (int l = 0; l < spec.numLayers(); l++) {
            String b = "blocks." + l + ".";
            if (spec.layerNorm()) {
                layout.add(b + "ln1.w", Shape.of(d), ParameterSpec.Init.constant(1));
                layout.add(b + "ln1.b", Shape.of(d), ParameterSpec.Init.constant(0));
            }
            layout.add(b + "attn.W_K", Shape.of(h, dh, d), init.qkv());
            layout.add(b + "attn.W_Q", Shape.of(h, dh, d), init.qkv());
            layout.add(b + "attn.W_V", Shape.of(h, dh, d), init.qkv());
            layout.add(b + "attn.W_O", Shape.of(d, h * dh), init.attnOut());
            if (spec.bias()) {
                // zeros, as nn.MultiheadAttention sets its biases (docs/design.md)
                layout.add(b + "attn.b_K", Shape.of(h, dh), ParameterSpec.Init.constant(0));
                layout.add(b + "attn.b_Q", Shape.of(h, dh), ParameterSpec.Init.constant(0));
                layout.add(b + "attn.b_V", Shape.of(h, dh), ParameterSpec.Init.constant(0));
                layout.add(b + "attn.b_O", Shape.of(d), ParameterSpec.Init.constant(0));
            }
            if (spec.layerNorm()) {
                layout.add(b + "ln2.w", Shape.of(d), ParameterSpec.Init.constant(1));
                layout.add(b + "ln2.b", Shape.of(d), ParameterSpec.Init.constant(0));
            }
            layout.add(b + "mlp.W_in", Shape.of(f, d), init.mlpIn());
            if (spec.bias()) {
                layout.add(b + "mlp.b_in", Shape.of(f), init.mlpInBias());
            }
            layout.add(b + "mlp.W_out", Shape.of(d, f), init.mlpOut());
            if (spec.bias()) {
                layout.add(b + "mlp.b_out", Shape.of(d), init.mlpOutBias());
            }
        }
        if (spec.finalLayerNorm()) {
            layout.add("ln_final.w", Shape.of(d), ParameterSpec.Init.constant(1));
            layout.add("ln_final.b", Shape.of(d), ParameterSpec.Init.constant(0));
        }
        layout.add("unembed.W_U", Shape.of(d, v), init.unembed());
    }

    /**
     * How each kind of tensor starts. The seed's: normals, W_E std 1/√V and every other matrix 1/√d_model,
     * zero biases. PyTorch's defaults, as Grokfast's model gets them: nn.Embedding N(0, 1) for tokens and
     * positions; nn.MultiheadAttention's in_proj [3d, d] Xavier-uniform, bound √(6 / (d + 3d)), its out_proj
     * and every nn.Linear U(±1/√fan_in) (kaiming_uniform with a = √5), nn.Linear's bias U(±1/√fan_in) too,
     * the attention's biases zero.
     */
    private record Inits(ParameterSpec.Init embed, ParameterSpec.Init positions, ParameterSpec.Init qkv, ParameterSpec.Init attnOut,
                         ParameterSpec.Init mlpIn, ParameterSpec.Init mlpInBias, ParameterSpec.Init mlpOut,
                         ParameterSpec.Init mlpOutBias, ParameterSpec.Init unembed) {
        static Inits seed(int d, int v) {
            ParameterSpec.Init std = ParameterSpec.Init.normal(1 / Math.sqrt(d));
            ParameterSpec.Init zero = ParameterSpec.Init.constant(0);
            return new Inits(ParameterSpec.Init.normal(1 / Math.sqrt(v)), std, std, std, std, zero, std, zero, std);
        }

        static Inits pytorch(int d, int f) {
            ParameterSpec.Init unitNormal = ParameterSpec.Init.normal(1);
            ParameterSpec.Init fromD = ParameterSpec.Init.uniform(1 / Math.sqrt(d));
            ParameterSpec.Init fromF = ParameterSpec.Init.uniform(1 / Math.sqrt(f));
            return new Inits(unitNormal, unitNormal, ParameterSpec.Init.uniform(Math.sqrt(6.0 / (4.0 * d))), fromD,
                    fromD, fromD, fromF, fromF, fromD);
        }
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public ParameterLayout layout() {
        return layout;
    }

    @Override
    public Var forward(Ops ops, Map<String, Var> p, Tensor tokens, ForwardOptions options) {
        Map<String, Tensor> acts = options.activations();
        Var x = ops.embed(p.get("embed.W_E"), tokens);
        if (spec.positional()) {
            x = ops.positional(x, p.get("pos_embed.W_pos"));
        }
        for (int l = 0; l < spec.numLayers(); l++) {
            String b = "blocks." + l + ".";
            boolean lastOnly = options.lastPositionOnly() && l == spec.numLayers() - 1;
            Consumer<AttentionSaved> saw = acts == null ? null : saved -> acts.put("act." + b + "attn.pattern", saved.pattern());
            Var attn;
            if (l == 0 && usesTokenTables(ops)) {
                attn = tokenTableAttention(ops, p, tokens, lastOnly, saw);
            } else {
                Var a = spec.layerNorm() ? ops.layerNorm(x, p.get(b + "ln1.w"), p.get(b + "ln1.b")) : x;
                if (spec.normalisedResidual()) {
                    x = a; // Grokfast's block: the stream itself is replaced by its normalisation
                }
                attn = spec.bias() ? BiasedLayers.attention(ops, p, b, a, spec.numHeads(), lastOnly, saw)
                        : ops.attention(a, p.get(b + "attn.W_Q"), p.get(b + "attn.W_K"), p.get(b + "attn.W_V"),
                        p.get(b + "attn.W_O"), lastOnly, saw);
            }
            x = ops.add(lastOnly ? ops.lastPosition(x) : x, attn);
            Var m = spec.layerNorm() ? ops.layerNorm(x, p.get(b + "ln2.w"), p.get(b + "ln2.b")) : x;
            java.util.function.Consumer<Tensor> sawPre = acts == null ? null : pre -> acts.put("act." + b + "mlp.pre", pre);
            x = ops.add(x, spec.bias() ? BiasedLayers.mlp(ops, p, b, m, spec.act(), sawPre)
                    : ops.mlp(m, p.get(b + "mlp.W_in"), p.get(b + "mlp.W_out"), spec.act(), sawPre));
            if (acts != null) {
                acts.put("act." + b + "resid_post", x.value());
            }
        }
        if (x.shape().dim(2) != 1) {
            x = ops.lastPosition(x);
        }
        if (spec.finalLayerNorm()) {
            x = ops.layerNorm(x, p.get("ln_final.w"), p.get("ln_final.b"));
        }
        Shape s = x.shape();
        Var logits = ops.linear(x, p.get("unembed.W_U"), WeightLayout.IN_OUT);
        return ops.reshape(logits, Shape.of(s.dim(0), s.dim(1), spec.vocab()));
    }

    /**
     * The first block's input is a function of the token alone, or with positional embeddings of the
     * (token, position) pair, so its queries, keys and values are too: computing them once per
     * vocabulary entry (or pair) and gathering them gives the same numbers (up to rounding) for V (or
     * V n_ctx) rows of LayerNorm and projection instead of B n_ctx. Not with biases (the tables hold
     * no bias) nor the normalised residual (its stream is the LayerNorm, not the embedding).
     */
    private boolean usesTokenTables(Ops ops) {
        return tokenTables && !spec.bias() && !spec.normalisedResidual() && ops.tape().backend().tokenTables();
    }

    /**
     * Block 0's attention from per-vocabulary tables: q, k, v tables [M, H*Dh, V] (or [M, H*Dh, V n_ctx]
     * with positions, column token * n_ctx + t), gathered like embeddings.
     */
    private Var tokenTableAttention(Ops ops, Map<String, Var> p, Tensor tokens, boolean lastOnly,
                                    Consumer<AttentionSaved> saw) {
        int m = tokens.models(), d = spec.dModel(), hd = spec.numHeads() * spec.dHead();
        Var rows;
        Tensor index;
        if (spec.positional()) {
            int v = spec.vocab(), t = tokens.dim(2);
            // every token at every position: "examples" v of n_ctx copies of token v, plus W_pos
            Tensor grid = ops.tape().constantInts(VOCABULARY_GRID_KEY, Shape.of(m, v, t), i -> (i / t) % v);
            rows = ops.reshape(ops.positional(ops.embed(p.get("embed.W_E"), grid), p.get("pos_embed.W_pos")),
                    Shape.of(m, v * t, d));
            index = PositionTokens.interleaved(ops.tape(), tokens, v);
        } else {
            rows = VocabularyRows.of(ops, p.get("embed.W_E"));
            index = tokens;
        }
        if (spec.layerNorm()) {
            rows = ops.layerNorm(rows, p.get("blocks.0.ln1.w"), p.get("blocks.0.ln1.b"));
        }
        Shape projection = Shape.of(m, hd, d);
        // table [M, H*Dh, V] = W [H*Dh, D] rows^T: the layout embed() gathers from
        Var qTable = ops.linear(ops.reshape(p.get("blocks.0.attn.W_Q"), projection), rows, WeightLayout.OUT_IN);
        Var kTable = ops.linear(ops.reshape(p.get("blocks.0.attn.W_K"), projection), rows, WeightLayout.OUT_IN);
        Var vTable = ops.linear(ops.reshape(p.get("blocks.0.attn.W_V"), projection), rows, WeightLayout.OUT_IN);
        Var q = ops.embed(qTable, index);
        if (lastOnly) {
            q = ops.lastPosition(q);
        }
        return ops.attentionCore(q, ops.embed(kTable, index), ops.embed(vTable, index), p.get("blocks.0.attn.W_O"),
                spec.numHeads(), lastOnly, saw);
    }
}
