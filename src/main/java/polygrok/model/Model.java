package polygrok.model;

import java.util.Map;
import polygrok.autograd.Ops;
import polygrok.autograd.Var;
import polygrok.tensor.Tensor;

/** A network: its parameters and a forward pass from tokens to last-position logits. */
public interface Model {
    ModelSpec spec();

    ParameterLayout layout();

    /**
     * @param params every parameter of {@link #layout()} by name, each [M, ...shape]
     * @param tokens I32 [M, B, n_ctx]
     * @return logits [M, B, V]
     */
    Var forward(Ops ops, Map<String, Var> params, Tensor tokens, ForwardOptions options);

    static Model of(ModelSpec spec) {
        return spec.type() == ModelSpec.ModelType.TRANSFORMER ? new Transformer(spec) : new MlpModel(spec);
    }
}
