package polygrok.check;

import java.util.Set;

/**
 * The model a reference file was produced with, as its {@code config} metadata states it
 * (field names there are snake_case: d_vocab, num_heads, ...).
 *
 * @param model       "transformer" or "mlp"
 * @param dVocab      p + 5 (numbers, then '=', '+', '-', '*', '/')
 * @param actType     "ReLU" or "GeLU" (exact erf GELU)
 * @param dEmb        embedding width of the MLP model (unused by the transformer)
 * @param weightScale initialisation scale of the MLP model
 */
public record ReferenceConfig(String model, int p, int dVocab, int dModel, int numHeads, int dHead, int dMlp, int numLayers,
                              String actType, int nCtx, int dEmb, double weightScale) {

    public static final Set<String> MODELS = Set.of("transformer", "mlp");
    public static final Set<String> ACT_TYPES = Set.of("ReLU", "GeLU");

    public ReferenceConfig {
        if (!MODELS.contains(model)) {
            throw new IllegalArgumentException("model must be one of " + MODELS + ", got " + model);
        }
        if (!ACT_TYPES.contains(actType)) {
            throw new IllegalArgumentException("act_type must be one of " + ACT_TYPES + ", got " + actType);
        }
        positive("p", p);
        positive("d_model", dModel);
        positive("num_heads", numHeads);
        positive("d_head", dHead);
        positive("d_mlp", dMlp);
        positive("num_layers", numLayers);
        positive("n_ctx", nCtx);
        positive("d_emb", dEmb);
        if (dVocab != p + 5) {
            throw new IllegalArgumentException("d_vocab must be p + 5 = " + (p + 5) + ", got " + dVocab);
        }
        if (!(weightScale > 0) || Double.isInfinite(weightScale)) {
            throw new IllegalArgumentException("weight_scale must be a positive finite number, got " + weightScale);
        }
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
    }
}
