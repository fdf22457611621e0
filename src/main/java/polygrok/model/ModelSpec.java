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
 * @param bias               biases on Q, K, V, the attention output and both MLP layers (transformer)
 * @param finalLayerNorm     LayerNorm of the residual stream before the unembedding (transformer)
 * @param normalisedResidual Grokfast's block: the stream is replaced by LN1 of itself before attention
 *                           adds to it (transformer; needs layerNorm)
 * @param oneHotInput        the MLP model's first layer reads the concatenated one-hot positions, and
 *                           its last layer writes the logits (MLP model)
 * @param pytorchInit        initial weights drawn as PyTorch's layers draw theirs by default (embeddings
 *                           N(0, 1), linear layers U(±1/√fan_in), attention's Q, K, V Xavier-uniform) instead
 *                           of the seed's normals; see docs/design.md
 */
public record ModelSpec(ModelType type, int vocab, int nCtx, int dModel, int numLayers, int numHeads, int dMlp,
                        int dEmb, Activation act, boolean layerNorm, boolean positional, double weightScale,
                        boolean bias, boolean finalLayerNorm, boolean normalisedResidual, boolean oneHotInput,
                        boolean pytorchInit) {

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
        boolean transformer = type == ModelType.TRANSFORMER;
        if (!transformer && (bias || finalLayerNorm || normalisedResidual)) {
            throw new IllegalArgumentException("bias, final_layer_norm and residual \"normalised\" are transformer options");
        }
        if (transformer && oneHotInput) {
            throw new IllegalArgumentException("input \"one_hot\" is an option of the mlp model");
        }
        if (normalisedResidual && !layerNorm) {
            throw new IllegalArgumentException("residual \"normalised\" needs layer_norm");
        }
    }

    /** A model with the seed's initialisation. */
    public ModelSpec(ModelType type, int vocab, int nCtx, int dModel, int numLayers, int numHeads, int dMlp, int dEmb,
                     Activation act, boolean layerNorm, boolean positional, double weightScale,
                     boolean bias, boolean finalLayerNorm, boolean normalisedResidual, boolean oneHotInput) {
        this(type, vocab, nCtx, dModel, numLayers, numHeads, dMlp, dEmb, act, layerNorm, positional, weightScale,
                bias, finalLayerNorm, normalisedResidual, oneHotInput, false);
    }

    /** A model without the interventions' options (no biases, no final LayerNorm, the residual stream, embedded input). */
    public ModelSpec(ModelType type, int vocab, int nCtx, int dModel, int numLayers, int numHeads, int dMlp, int dEmb,
                     Activation act, boolean layerNorm, boolean positional, double weightScale) {
        this(type, vocab, nCtx, dModel, numLayers, numHeads, dMlp, dEmb, act, layerNorm, positional, weightScale,
                false, false, false, false, false);
    }

    /**
     * Whether any option added for the interventions' models is on (the forward pass differs; the
     * initialisation scheme does not count: it is drawn on the host for every backend).
     */
    public boolean hasVariantOptions() {
        return bias || finalLayerNorm || normalisedResidual || oneHotInput;
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
