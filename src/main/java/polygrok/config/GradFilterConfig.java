package polygrok.config;

import java.util.List;

/**
 * Grokfast's gradient filter (Lee et al., arXiv 2405.20233), applied to every trainable parameter
 * after the backward and before AdamW; the Adam moments see the filtered gradient, the decoupled
 * weight decay is unchanged, frozen parameters are untouched.
 * <ul>
 *   <li>{@code ema}: mu = alpha mu + (1 - alpha) g, with mu = g at the first step; then g = g + lambda mu.</li>
 *   <li>{@code ma}: keep the last {@code window} gradients; once that many are held, g = g + lambda (their mean).</li>
 * </ul>
 *
 * @param type   "ema" or "ma"
 * @param alpha  the EMA's decay, in [0, 1) (ema only)
 * @param lambda the amplification, >= 0
 * @param window gradients averaged (ma only), >= 1
 */
public record GradFilterConfig(String type, double alpha, double lambda, int window) {
    public static final String EMA = "ema", MA = "ma";
    public static final List<String> TYPES = List.of(EMA, MA);

    public GradFilterConfig {
        if (!TYPES.contains(type)) {
            throw new ConfigException("type", "\"" + type + "\" is not a gradient filter; allowed: ema, ma");
        }
        if (EMA.equals(type) && !(alpha >= 0 && alpha < 1)) {
            throw new ConfigException("alpha", alpha + " must be in [0, 1) (e.g. 0.98)");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new ConfigException("lambda", lambda + " must be >= 0 and finite (e.g. 2)");
        }
        if (MA.equals(type) && window < 1) {
            throw new ConfigException("window", window + " must be at least 1 (e.g. 100)");
        }
    }

    /** Grokfast's defaults: alpha 0.98, lambda 2 for the EMA; window 100, lambda 5 for the moving average. */
    public static GradFilterConfig defaults(String type) {
        return MA.equals(type) ? new GradFilterConfig(MA, 0, 5.0, 100) : new GradFilterConfig(EMA, 0.98, 2.0, 0);
    }

    /** Values of the filter state kept per parameter: one for the EMA, the window for the moving average. */
    public int stateSlots() {
        return EMA.equals(type) ? 1 : window;
    }
}
