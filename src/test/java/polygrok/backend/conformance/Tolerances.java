package polygrok.backend.conformance;

/**
 * The per-op values of the suite's one rule, |got - ref| <= atol + rtol * |ref| (see {@link Tolerance}).
 * The reference computes in float64 from the same float32-rounded inputs, so every difference is the
 * backend's float32 rounding: u = 2^-24 (about 6e-8) per operation, relative to its operands.
 *
 * <p>Sums: inputs are drawn from [-1, 1) unless a case says otherwise, and an element that sums K
 * products of such numbers carries a rounding error that grows with K, whatever the order of the sum
 * (a running sum, vector lanes, split K on a GPU). {@link #sum} allows u/2 per term, 3e-8 * K, plus a
 * relative 1e-4. K is what lets one rule fit both a one-term product (3e-8) and a weight gradient
 * summed over 2900 examples (8.7e-5; the cpu backend's scalar running sum, the worst order, was
 * measured at 4.6e-5 there). Where an element comes from a chain of sums, K adds up their lengths:
 * each stage rounds its own sum and inherits the error of the sums that fed it.
 *
 * <p>Results rounded once get the bound of one rounding; copies and gathers must be exact; the
 * remaining ops (activations, loss, penalty, AdamW) have their own values below, each at least as
 * strict as what the separate cpu and cuda suites used before this one.
 */
public final class Tolerances {
    /** Per term of a sum of K products of numbers in [-1, 1): about u / 2. */
    static final double PER_TERM = 3e-8;

    /** One float32 rounding of an exact result: add, addInto, upload, a float64 sum stored as float32. */
    static final Tolerance ONE_ROUNDING = new Tolerance(0, 1e-7);

    /** ReLU and exact (erf) GELU, forward and backward: a few roundings of a library function, no sums. */
    static final Tolerance ACTIVATION = new Tolerance(1e-6, 1e-6);

    /** Cross-entropy forward (loss, probability, correct, weighted mean): computed in float64, stored in float32. */
    static final Tolerance LOSS = new Tolerance(1e-6, 1e-6);

    /** Cross-entropy gradient (softmax - one-hot) * weight, of size 1 / batch, added into a gradient of 1e-3 to 1e-2. */
    static final Tolerance LOSS_GRAD = new Tolerance(1e-8, 1e-6);

    /** Lp penalty: a float64 sum of |w|^p and its gradient alpha * p |w|^(p-1) sign(w), alpha <= 1e-2. */
    static final Tolerance PENALTY = new Tolerance(1e-7, 1e-5);

    /** AdamW's parameter update: w - lr (m^ / (sqrt(v^) + eps) + wd w), a handful of roundings of numbers near 1. */
    /**
     * Gradient filters (EMA, moving average): per element a few float64 operations on the gradient and
     * its float32 state, stored in float32; three calls, so the state carries two earlier roundings.
     */
    static final Tolerance GRAD_FILTER = new Tolerance(1e-7, 1e-6);

    static final Tolerance ADAMW_PARAMS = new Tolerance(1e-6, 1e-6);

    /**
     * ⊥Grad's new gradient (g - c w) |g| / |g_perp|: the cpu backend repeats the reference's float64
     * sums in the same order on the same float32 inputs, so only the final rounding differs (a kernel
     * that sums in another order would need the sums' bound on c and the scale).
     */
    static final Tolerance ORTHOGONAL_GRADIENT = new Tolerance(1e-12, 1e-7);

    /**
     * AdamW's second moment, 0.98 v + 0.02 g^2: a sum of positive terms, so the relative bound carries it;
     * the atol only covers v = 0 where the gradient underflows.
     */
    static final Tolerance ADAMW_V = new Tolerance(1e-12, 1e-6);

    private Tolerances() {
    }

    /** An element that sums {@code terms} products of numbers in [-1, 1), a starting value it adds into counted as one. */
    public static Tolerance sum(long terms) {
        return new Tolerance(PER_TERM * terms, 1e-4);
    }

    /**
     * AdamW's first moment, 0.9 m + 0.1 g: it can cancel to far below the gradient's size, so its absolute
     * error follows the gradient's scale: 1e-7 * scale, about one rounding of the gradient (1e-9 for
     * gradients of 1e-2; a fixed 1e-9 fails at 0.5, where a cancelled m was measured 1.3e-9 off).
     */
    static Tolerance adamFirstMoment(double gradScale) {
        return new Tolerance(1e-7 * gradScale, 1e-6);
    }

}
