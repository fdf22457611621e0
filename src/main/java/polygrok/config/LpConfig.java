package polygrok.config;

/**
 * The seed's optional Lp penalty added to the train loss: alpha * sum over parameters of ||W||_p^p
 * (the seed's lp_reg; p = 2 with alpha 0 there by default, i.e. off).
 */
public record LpConfig(double p, double alpha) {
    public LpConfig {
        if (!(p > 0) || Double.isInfinite(p)) {
            throw new ConfigException("p", p + " must be a positive finite number (e.g. 1 or 2)");
        }
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new ConfigException("alpha", alpha + " must be >= 0 and finite");
        }
    }
}
