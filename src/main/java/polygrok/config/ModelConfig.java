package polygrok.config;

/**
 * The network. Defaults are the paper's: a 1-layer transformer, d_model 128, 4 heads,
 * d_mlp 512, ReLU, no LayerNorm, no positional embedding.
 *
 * @param type        "transformer" or "mlp"
 * @param dModel      residual width
 * @param numLayers   transformer blocks (or hidden MLP layers for "mlp")
 * @param numHeads    attention heads; must divide d_model
 * @param dMlp        hidden width of each transformer MLP
 * @param dEmb        embedding width of the MLP model
 * @param act         "ReLU" or "GeLU" (exact, erf)
 * @param layerNorm   LayerNorm in the blocks
 * @param positional  learned positional embedding
 * @param weightScale initialisation scale of the MLP model
 * @param bias           biases on the attention's Q, K, V and output projections and the MLP's two
 *                       layers (transformer; none in the paper's model)
 * @param finalLayerNorm a LayerNorm on the residual stream before the unembedding (transformer)
 * @param residual       "stream" (h + attn(LN(h))) or "normalised" (Grokfast's block: h = LN1(h), then
 *                       h + attn(h)); "normalised" needs layer_norm (transformer)
 * @param input          "embed" (shared table, projection, sum of positions) or "one_hot" (the first
 *                       layer reads the concatenated one-hot positions) (MLP model)
 * @param weightInit     "default" (the seed's normals) or "pytorch" (each layer drawn as PyTorch's
 *                       defaults draw it: embeddings N(0, 1), linear layers U(±1/√fan_in), attention's
 *                       Q, K, V Xavier-uniform; the initialisation of Grokfast's and most PyTorch code)
 */
public record ModelConfig(String type, int dModel, int numLayers, int numHeads, int dMlp, int dEmb,
                          String act, boolean layerNorm, boolean positional, double weightScale,
                          boolean bias, boolean finalLayerNorm, String residual, String input, String weightInit) {
    public static final String TRANSFORMER = "transformer";
    public static final String MLP = "mlp";
    public static final String STREAM = "stream", NORMALISED = "normalised";
    public static final String EMBED = "embed", ONE_HOT = "one_hot";
    public static final String DEFAULT_INIT = "default", PYTORCH_INIT = "pytorch";
    /**
     * Bounds that keep every size an int and say "typo" early: a model past them would not fit any
     * machine polygrok runs on (the memory a run needs is checked again when it starts).
     */
    public static final int MAX_WIDTH = 16384, MAX_LAYERS = 256;

    public ModelConfig {
        if (!TRANSFORMER.equals(type) && !MLP.equals(type)) {
            throw new ConfigException("type", "\"" + type + "\" is not a model type; allowed: transformer, mlp");
        }
        if (dModel < 1 || dModel > MAX_WIDTH) {
            throw new ConfigException("d_model", dModel + " is outside 1.." + MAX_WIDTH + " (the paper's model has 128)");
        }
        if (numLayers < (MLP.equals(type) ? 0 : 1) || numLayers > MAX_LAYERS) {
            throw new ConfigException("num_layers", numLayers + " is outside " + (MLP.equals(type) ? 0 : 1) + ".." + MAX_LAYERS
                    + " (the paper's model has 1)");
        }
        if (numHeads < 1) {
            throw new ConfigException("num_heads", numHeads + " must be at least 1");
        }
        if (TRANSFORMER.equals(type) && dModel % numHeads != 0) {
            throw new ConfigException("num_heads", numHeads + " does not divide d_model " + dModel
                    + "; allowed: a divisor of d_model (e.g. " + divisorsNear(dModel, numHeads) + ")");
        }
        if (dMlp < 1 || dMlp > MAX_WIDTH * 4) {
            throw new ConfigException("d_mlp", dMlp + " is outside 1.." + MAX_WIDTH * 4 + " (the paper's model has 512)");
        }
        if (dEmb < 1 || dEmb > MAX_WIDTH) {
            throw new ConfigException("d_emb", dEmb + " is outside 1.." + MAX_WIDTH);
        }
        act = canonicalAct(act);
        if (!(weightScale > 0) || Double.isInfinite(weightScale)) {
            throw new ConfigException("weight_scale", weightScale + " must be a positive finite number");
        }
        if (!STREAM.equals(residual) && !NORMALISED.equals(residual)) {
            throw new ConfigException("residual", "\"" + residual + "\" is not a residual block; allowed: stream, normalised");
        }
        if (NORMALISED.equals(residual) && !layerNorm) {
            throw new ConfigException("residual", "\"normalised\" replaces the stream by its LayerNorm, so it needs"
                    + " \"layer_norm\": true; set layer_norm to true, or residual to \"stream\"");
        }
        if (!EMBED.equals(input) && !ONE_HOT.equals(input)) {
            throw new ConfigException("input", "\"" + input + "\" is not an MLP input; allowed: embed, one_hot");
        }
        if (!DEFAULT_INIT.equals(weightInit) && !PYTORCH_INIT.equals(weightInit)) {
            throw new ConfigException("weight_init", "\"" + weightInit + "\" is not an initialisation; allowed: default (the seed's"
                    + " normals), pytorch (PyTorch's per-layer defaults)");
        }
    }

    /** A model without the interventions' options: no biases, no final LayerNorm, the residual stream, embedded input. */
    public ModelConfig(String type, int dModel, int numLayers, int numHeads, int dMlp, int dEmb, String act, boolean layerNorm,
                       boolean positional, double weightScale) {
        this(type, dModel, numLayers, numHeads, dMlp, dEmb, act, layerNorm, positional, weightScale, false, false, STREAM, EMBED,
                DEFAULT_INIT);
    }

    /** The paper's model. */
    public static ModelConfig defaults() {
        return new ModelConfig(TRANSFORMER, 128, 1, 4, 512, 500, "ReLU", false, false, 1.0);
    }

    /** Whether the options added for the interventions' models all hold their defaults (the paper's model). */
    public boolean plainVariant() {
        return !bias && !finalLayerNorm && STREAM.equals(residual) && EMBED.equals(input) && DEFAULT_INIT.equals(weightInit);
    }

    /** Width of one attention head. */
    public int dHead() {
        return dModel / numHeads;
    }

    private static String canonicalAct(String act) {
        if ("relu".equalsIgnoreCase(act)) {
            return "ReLU";
        }
        if ("gelu".equalsIgnoreCase(act)) {
            return "GeLU";
        }
        throw new ConfigException("act", "\"" + act + "\" is not an activation; allowed: ReLU, GeLU");
    }

    private static String divisorsNear(int n, int h) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (int d = 1; d <= n && shown < 6; d++) {
            if (n % d == 0 && Math.abs(d - h) <= Math.max(8, h)) {
                sb.append(shown++ == 0 ? "" : ", ").append(d);
            }
        }
        return sb.toString();
    }
}
