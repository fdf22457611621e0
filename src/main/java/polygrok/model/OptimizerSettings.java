package polygrok.model;

import polygrok.config.GradFilterConfig;

/**
 * AdamW and penalty settings of one model in a group (each model may have its own lr and decay).
 *
 * @param lpP          exponent of the optional Lp penalty
 * @param lpAlpha      its weight; 0 turns it off
 * @param gradFilter   Grokfast's filter before AdamW, or null; the models of a group share it
 * @param coupledDecay Adam with L2 (g + wd w enters the moments) instead of AdamW's decoupled decay
 * @param warmupSteps  linear lr warm-up over this many optimizer steps (0: none)
 * @param orthogonal   ⊥Grad before the step; the models of a group share these three
 */
public record OptimizerSettings(double lr, double weightDecay, double beta1, double beta2, double eps,
                                double lpP, double lpAlpha, GradFilterConfig gradFilter,
                                boolean coupledDecay, int warmupSteps, boolean orthogonal) {
    public OptimizerSettings(double lr, double weightDecay, double beta1, double beta2, double eps, double lpP, double lpAlpha) {
        this(lr, weightDecay, beta1, beta2, eps, lpP, lpAlpha, null);
    }

    public OptimizerSettings(double lr, double weightDecay, double beta1, double beta2, double eps, double lpP, double lpAlpha,
                             GradFilterConfig gradFilter) {
        this(lr, weightDecay, beta1, beta2, eps, lpP, lpAlpha, gradFilter, false, 0, false);
    }

    public static OptimizerSettings paper() {
        return new OptimizerSettings(1e-3, 1.0, 0.9, 0.98, 1e-8, 2, 0);
    }
}
