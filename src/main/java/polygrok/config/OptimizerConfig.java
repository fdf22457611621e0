package polygrok.config;

/**
 * AdamW, with the paper's defaults: lr 1e-3, weight decay 1.0, betas (0.9, 0.98), eps 1e-8; and an
 * optional gradient filter before it (null: none).
 */
public record OptimizerConfig(double lr, double weightDecay, double beta1, double beta2, double eps, GradFilterConfig gradFilter) {
    public OptimizerConfig(double lr, double weightDecay, double beta1, double beta2, double eps) {
        this(lr, weightDecay, beta1, beta2, eps, null);
    }

    public OptimizerConfig {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new ConfigException("lr", lr + " must be a positive finite number");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new ConfigException("weight_decay", weightDecay + " must be >= 0 and finite");
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new ConfigException("betas[0]", beta1 + " must be in [0, 1)");
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new ConfigException("betas[1]", beta2 + " must be in [0, 1)");
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new ConfigException("eps", eps + " must be a positive finite number");
        }
    }

    public static OptimizerConfig defaults() {
        return new OptimizerConfig(1e-3, 1.0, 0.9, 0.98, 1e-8);
    }

    public OptimizerConfig withLr(double newLr) {
        return new OptimizerConfig(newLr, weightDecay, beta1, beta2, eps, gradFilter);
    }

    public OptimizerConfig withWeightDecay(double wd) {
        return new OptimizerConfig(lr, wd, beta1, beta2, eps, gradFilter);
    }

    public OptimizerConfig withGradFilter(GradFilterConfig filter) {
        return new OptimizerConfig(lr, weightDecay, beta1, beta2, eps, filter);
    }
}
