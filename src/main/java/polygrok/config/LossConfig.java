package polygrok.config;

import java.util.List;

/**
 * The training loss: the top-level {@code "loss"} and {@code "loss_precision"} of a config.
 *
 * @param function  "cross_entropy" (the seed's log-softmax) or "stablemax" (Prieto et al., ICLR 2025:
 *                  s(x) = x + 1 for x >= 0, 1 / (1 - x) below, loss -log(s(z_y) / sum_j s(z_j)))
 * @param precision "float64" (the seed: computed in float64 from the logits) or "float32" (every
 *                  intermediate in float32, so float32 softmax collapse can be studied)
 */
public record LossConfig(String function, String precision) {
    public static final String CROSS_ENTROPY = "cross_entropy", STABLEMAX = "stablemax";
    public static final String FLOAT64 = "float64", FLOAT32 = "float32";
    public static final List<String> FUNCTIONS = List.of(CROSS_ENTROPY, STABLEMAX);
    public static final List<String> PRECISIONS = List.of(FLOAT64, FLOAT32);
    public static final LossConfig DEFAULT = new LossConfig(CROSS_ENTROPY, FLOAT64);

    public LossConfig {
        if (!FUNCTIONS.contains(function)) {
            throw new ConfigException("loss", Printable.quote(function) + " is not a loss; allowed: " + String.join(", ", FUNCTIONS));
        }
        if (!PRECISIONS.contains(precision)) {
            throw new ConfigException("loss_precision", Printable.quote(precision) + " is not a loss precision; allowed: "
                    + String.join(", ", PRECISIONS));
        }
    }

    public boolean isDefault() {
        return equals(DEFAULT);
    }

    public LossConfig withFunction(String f) {
        return new LossConfig(f, precision);
    }

    public LossConfig withPrecision(String p) {
        return new LossConfig(function, p);
    }

    public boolean stablemax() {
        return STABLEMAX.equals(function);
    }

    public boolean float32() {
        return FLOAT32.equals(precision);
    }
}
