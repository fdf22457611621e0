package polygrok.train;

/**
 * AdamW and penalty settings of one model in a group (each model may have its own lr and decay).
 *
 * @param lpP     exponent of the optional Lp penalty
 * @param lpAlpha its weight; 0 turns it off
 */
public record OptimizerSettings(double lr, double weightDecay, double beta1, double beta2, double eps,
                                double lpP, double lpAlpha) {
    public static OptimizerSettings paper() {
        return new OptimizerSettings(1e-3, 1.0, 0.9, 0.98, 1e-8, 2, 0);
    }
}
