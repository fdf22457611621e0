package polygrok.backend;

/**
 * Which loss the cross-entropy family computes, and in which arithmetic.
 * <ul>
 *   <li>{@code stablemax} false: log-softmax cross-entropy, -log(exp(z_y) / sum_j exp(z_j)).</li>
 *   <li>{@code stablemax} true: StableMax (Prieto et al., "Grokking at the Edge of Numerical Stability",
 *       ICLR 2025): s(x) = x + 1 for x >= 0, 1 / (1 - x) for x &lt; 0, loss -log(s(z_y) / sum_j s(z_j)).</li>
 *   <li>{@code float32} false: every intermediate in float64 from the (float32 or float64) logits, as the seed.</li>
 *   <li>{@code float32} true: every intermediate (shift, exp or s, sum, log, per-example loss, the
 *       weighted total, the gradient) rounded to float32, so float32 softmax collapse happens as in a
 *       float32 PyTorch run.</li>
 * </ul>
 */
public record LossMode(boolean stablemax, boolean float32) {
    /** The seed's loss: float64 log-softmax cross-entropy. */
    public static final LossMode CROSS_ENTROPY = new LossMode(false, false);

    public boolean isDefault() {
        return !stablemax && !float32;
    }

    @Override
    public String toString() {
        return (stablemax ? "stablemax" : "cross_entropy") + " in " + (float32 ? "float32" : "float64");
    }
}
