package polygrok.check;

/** The AdamW settings a reference file's {@code adamw.*} tensors were produced with ({@code optimizer} metadata). */
public record ReferenceOptimizer(double lr, double weightDecay, double beta1, double beta2, double eps) {

    public ReferenceOptimizer {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr must be a positive finite number, got " + lr);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight_decay must be a non-negative finite number, got " + weightDecay);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must lie in [0, 1), got [" + beta1 + ", " + beta2 + "]");
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be a positive finite number, got " + eps);
        }
    }
}
