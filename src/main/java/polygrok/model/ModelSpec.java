package polygrok.model;

import polygrok.backend.Activation;

/**
 * The shape of a model, independent of how it was configured. {@code vocab} is the number of input
 * tokens and of output classes (the seed uses one vocabulary for both).
 *
 * @param type        transformer or mlp
 * @param vocab       V, tokens and logits
 * @param nCtx        input positions
 * @param dModel      residual width
 * @param numLayers   transformer blocks, or hidden MLP layers of the MLP model
 * @param numHeads    attention heads (transformer)
 * @param dMlp        MLP hidden width (transformer)
 * @param dEmb        embedding width (MLP model)
 * @param act         the non-linearity
 * @param layerNorm   LayerNorm before attention and MLP (transformer; off in the seed's runs)
 * @param positional  learned positional embedding (transformer; off in the seed's runs)
 * @param weightScale multiplies the MLP model's initial standard deviations
 */
public record ModelSpec(ModelType type, int vocab, int nCtx, int dModel, int numLayers, int numHeads, int dMlp,
                        int dEmb, Activation act, boolean layerNorm, boolean positional, double weightScale) {

    public enum ModelType { TRANSFORMER, MLP }

    public ModelSpec {
        positive("vocab", vocab);
        positive("n_ctx", nCtx);
        positive("d_model", dModel);
        if (type == ModelType.TRANSFORMER) {
            positive("num_layers", numLayers);
            positive("num_heads", numHeads);
            positive("d_mlp", dMlp);
            if (dModel % numHeads != 0) {
                throw new IllegalArgumentException("d_model " + dModel + " is not divisible by num_heads " + numHeads);
            }
        } else {
            positive("d_emb", dEmb);
            if (numLayers < 0) {
                throw new IllegalArgumentException("num_layers must be >= 0, got " + numLayers);
            }
        }
        if (!(weightScale > 0)) {
            throw new IllegalArgumentException("weight_scale must be > 0, got " + weightScale);
        }
    }

    private static void positive(String field, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + v);
        }
    }

    public int dHead() {
        return dModel / numHeads;
    }

    /** The paper's transformer for a vocabulary and context. */
    public static ModelSpec paperTransformer(int vocab, int nCtx) {
        return new ModelSpec(ModelType.TRANSFORMER, vocab, nCtx, 128, 1, 4, 512, 48, Activation.RELU, false, false, 1.0);
    }
}
