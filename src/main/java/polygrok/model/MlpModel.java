package polygrok.model;

import java.util.Map;
import polygrok.autograd.Ops;
import polygrok.autograd.Var;
import polygrok.backend.WeightLayout;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * The seed's MLP model: embed each token (d_emb), project to d_model, sum over positions, act, then
 * hidden layers act(W x), project back to d_emb and unembed. No biases.
 *
 * <p>With {@code oneHotInput} (the StableMax paper's model) the first layer reads the concatenated
 * one-hot vectors of all positions, W [d_model, n_ctx * V]: position t's token selects column
 * t * V + token, so it is an embedding lookup of the shifted tokens ({@link PositionTokens}) summed over
 * positions. Then act, the hidden layers, and an output layer [V, d_model] straight to the logits.
 */
public final class MlpModel implements Model {
    private final ModelSpec spec;
    private final ParameterLayout layout = new ParameterLayout();
    /** Whether the linear maps around the embeddings may be folded into per-vocabulary tables (false only to compare the paths). */
    private final boolean tokenTables;

    public MlpModel(ModelSpec spec) {
        this(spec, true);
    }

    MlpModel(ModelSpec spec, boolean tokenTables) {
        this.spec = spec;
        this.tokenTables = tokenTables;
        int e = spec.dEmb(), d = spec.dModel(), v = spec.vocab();
        double s = spec.weightScale();
        if (spec.oneHotInput()) {
            int fanIn = spec.nCtx() * v;
            layout.add("input.W", Shape.of(d, fanIn), linear(s, fanIn));
            hiddenLayers(s);
            layout.add("output.W", Shape.of(v, d), linear(s, d));
            return;
        }
        // nn.Embedding's N(0, 1) under PyTorch's defaults; the seed's 1/√V
        layout.add("embed.W_E", Shape.of(e, v), ParameterSpec.Init.normal(spec.pytorchInit() ? s : s / Math.sqrt(v)));
        layout.add("inproj.W", Shape.of(d, e), linear(s, e));
        hiddenLayers(s);
        layout.add("outproj.W", Shape.of(e, d), linear(s, d));
        layout.add("unembed.W_U", Shape.of(e, v), linear(s, e));
    }

    /** A linear layer reading fanIn inputs: the seed's normal of std scale/√fanIn, or nn.Linear's U(±scale/√fanIn). */
    private ParameterSpec.Init linear(double scale, int fanIn) {
        double size = scale / Math.sqrt(fanIn);
        return spec.pytorchInit() ? ParameterSpec.Init.uniform(size) : ParameterSpec.Init.normal(size);
    }

    private void hiddenLayers(double scale) {
        int d = spec.dModel();
        for (int l = 0; l < spec.numLayers(); l++) {
            layout.add("mlps." + l + ".W", Shape.of(d, d), linear(scale, d));
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
        boolean tables = tokenTables && ops.tape().backend().tokenTables();
        Var x;
        if (spec.oneHotInput()) {
            Tensor shifted = PositionTokens.shifted(ops.tape(), tokens, spec.vocab());
            x = tables ? ops.embedSum(p.get("input.W"), shifted) : ops.sumPositions(ops.embed(p.get("input.W"), shifted));
        } else if (tables) {
            x = ops.embedSum(inputTable(ops, p), tokens);
        } else {
            x = ops.sumPositions(ops.linear(ops.embed(p.get("embed.W_E"), tokens), p.get("inproj.W"), WeightLayout.OUT_IN));
        }
        x = ops.activation(x, spec.act());
        for (int l = 0; l < spec.numLayers(); l++) {
            x = ops.activation(ops.linear(x, p.get("mlps." + l + ".W"), WeightLayout.OUT_IN), spec.act());
        }
        Var logits;
        if (spec.oneHotInput()) {
            logits = ops.linear(x, p.get("output.W"), WeightLayout.OUT_IN);
        } else if (tables) {
            logits = ops.linear(x, outputMap(ops, p), WeightLayout.OUT_IN);
        } else {
            x = ops.linear(x, p.get("outproj.W"), WeightLayout.OUT_IN);
            logits = ops.linear(x, p.get("unembed.W_U"), WeightLayout.IN_OUT);
        }
        Shape s = logits.shape();
        return s.rank() == 3 ? logits : ops.reshape(logits, Shape.of(s.dim(0), s.dim(1), spec.vocab()));
    }

    /**
     * inproj(embed(token)) depends on the token alone: the table [M, d_model, V] = inproj.W W_E, one
     * column per vocabulary entry, gathered and summed over positions in one pass ({@code embedSum}, as
     * the one-hot input's columns are). Its product costs V rows once per pass instead of n_ctx rows
     * per example (the backward is a scatter-add into its columns, then two products of V rows).
     */
    private Var inputTable(Ops ops, Map<String, Var> p) {
        Var rows = VocabularyRows.of(ops, p.get("embed.W_E")); // [M, V, d_emb]
        return ops.linear(p.get("inproj.W"), rows, WeightLayout.OUT_IN);
    }

    /**
     * outproj then the unembedding is one linear map d_model -> V: [M, V, d_model] = W_U^T outproj.W,
     * formed once per pass, so each example takes one product of d_model x V instead of d_model x
     * d_emb and d_emb x V.
     */
    private Var outputMap(Ops ops, Map<String, Var> p) {
        Var unembedRows = VocabularyRows.of(ops, p.get("unembed.W_U")); // W_U^T [M, V, d_emb]
        return ops.linear(unembedRows, p.get("outproj.W"), WeightLayout.IN_OUT);
    }
}
