package polygrok.config;

import java.util.List;

/**
 * The optimizer, with the paper's defaults: AdamW, lr 1e-3, weight decay 1.0, betas (0.9, 0.98),
 * eps 1e-8; an optional gradient filter before it (null: none).
 *
 * @param type        "adamw" (decoupled decay, the default) or "adam" (coupled L2 as torch.optim.Adam's
 *                    weight_decay: g + wd w enters the moments, no decoupled decay)
 * @param warmupSteps N >= 0: the lr at optimizer step k = 0, 1, ... is lr min(k / N, 1) (0: no warm-up)
 * @param orthogonal  ⊥Grad: each parameter's gradient loses its component along the weights and is
 *                    rescaled to its old norm before the step (after the gradient filter)
 */
public record OptimizerConfig(double lr, double weightDecay, double beta1, double beta2, double eps, GradFilterConfig gradFilter,
                              String type, int warmupSteps, boolean orthogonal) {
    public static final String ADAMW = "adamw", ADAM = "adam";
    public static final List<String> TYPES = List.of(ADAMW, ADAM);

    public OptimizerConfig(double lr, double weightDecay, double beta1, double beta2, double eps) {
        this(lr, weightDecay, beta1, beta2, eps, null);
    }

    public OptimizerConfig(double lr, double weightDecay, double beta1, double beta2, double eps, GradFilterConfig gradFilter) {
        this(lr, weightDecay, beta1, beta2, eps, gradFilter, ADAMW, 0, false);
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
        if (!TYPES.contains(type)) {
            throw new ConfigException("type", (type == null ? "null" : "\"" + type + "\"")
                    + " is not an optimizer; allowed: adamw (decoupled weight decay), adam (coupled L2, as torch.optim.Adam)");
        }
        if (warmupSteps < 0) {
            throw new ConfigException("warmup_steps", warmupSteps + " must be >= 0 (0: no warm-up; e.g. 10)");
        }
    }

    public static OptimizerConfig defaults() {
        return new OptimizerConfig(1e-3, 1.0, 0.9, 0.98, 1e-8);
    }

    public OptimizerConfig withLr(double newLr) {
        return new OptimizerConfig(newLr, weightDecay, beta1, beta2, eps, gradFilter, type, warmupSteps, orthogonal);
    }

    public OptimizerConfig withWeightDecay(double wd) {
        return new OptimizerConfig(lr, wd, beta1, beta2, eps, gradFilter, type, warmupSteps, orthogonal);
    }

    public OptimizerConfig withGradFilter(GradFilterConfig filter) {
        return new OptimizerConfig(lr, weightDecay, beta1, beta2, eps, filter, type, warmupSteps, orthogonal);
    }

    public OptimizerConfig withType(String newType) {
        return new OptimizerConfig(lr, weightDecay, beta1, beta2, eps, gradFilter, newType, warmupSteps, orthogonal);
    }

    public OptimizerConfig withWarmupSteps(int steps) {
        return new OptimizerConfig(lr, weightDecay, beta1, beta2, eps, gradFilter, type, steps, orthogonal);
    }

    public OptimizerConfig withOrthogonal(boolean on) {
        return new OptimizerConfig(lr, weightDecay, beta1, beta2, eps, gradFilter, type, warmupSteps, on);
    }
}
