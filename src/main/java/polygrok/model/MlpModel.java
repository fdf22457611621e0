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
 */
public final class MlpModel implements Model {
    private final ModelSpec spec;
    private final ParameterLayout layout = new ParameterLayout();

    public MlpModel(ModelSpec spec) {
        this.spec = spec;
        int e = spec.dEmb(), d = spec.dModel(), v = spec.vocab();
        double s = spec.weightScale();
        layout.add("embed.W_E", Shape.of(e, v), ParameterSpec.Init.normal(s / Math.sqrt(v)));
        layout.add("inproj.W", Shape.of(d, e), ParameterSpec.Init.normal(s / Math.sqrt(e)));
        for (int l = 0; l < spec.numLayers(); l++) {
            layout.add("mlps." + l + ".W", Shape.of(d, d), ParameterSpec.Init.normal(s / Math.sqrt(d)));
        }
        layout.add("outproj.W", Shape.of(e, d), ParameterSpec.Init.normal(s / Math.sqrt(d)));
        layout.add("unembed.W_U", Shape.of(e, v), ParameterSpec.Init.normal(s / Math.sqrt(e)));
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
        Var x = ops.embed(p.get("embed.W_E"), tokens);
        x = ops.linear(x, p.get("inproj.W"), WeightLayout.OUT_IN);
        x = ops.activation(ops.sumPositions(x), spec.act());
        for (int l = 0; l < spec.numLayers(); l++) {
            x = ops.activation(ops.linear(x, p.get("mlps." + l + ".W"), WeightLayout.OUT_IN), spec.act());
        }
        x = ops.linear(x, p.get("outproj.W"), WeightLayout.OUT_IN);
        Var logits = ops.linear(x, p.get("unembed.W_U"), WeightLayout.IN_OUT);
        Shape s = logits.shape();
        return s.rank() == 3 ? logits : ops.reshape(logits, Shape.of(s.dim(0), s.dim(1), spec.vocab()));
    }
}
