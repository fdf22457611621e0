package polygrok.analysis;

/**
 * Nanda et al.'s restricted and excluded loss for a two-operand task, over the full p x p grid.
 *
 * <p>For every output class c the logits L_c(a, b) form a signal on the grid. The 2-D basis is the
 * product of two {@link FourierBasis} vectors, u(a) v(b); it is orthonormal over the grid. For a
 * key frequency k the "key components" are the four products
 * {cos_k(a) cos_k(b), cos_k(a) sin_k(b), sin_k(a) cos_k(b), sin_k(a) sin_k(b)}, whose span holds
 * cos(w_k(a + b)), sin(w_k(a + b)) and their a - b twins (w_k = 2 pi k / p), so additive and
 * subtractive circuits are both covered. (At a Nyquist frequency the zero sine drops out.) Let
 * P L_c be the orthogonal projection of L_c onto the span of all key components.
 * <ul>
 *   <li>restricted logits = mean over the grid of L_c (the constant-constant component) + P L_c:
 *       only what the key frequencies explain; low restricted loss means they suffice.</li>
 *   <li>excluded logits = L_c - P L_c: everything but the key frequencies; high excluded loss
 *       means the model relies on them.</li>
 * </ul>
 * Both losses are mean cross-entropy over the grid pairs in {@code evaluateOn} (all p^2 pairs when
 * null; Nanda et al. evaluate the excluded loss on the training pairs), over all output classes.
 */
public final class FourierLossAblation {
    /** Full, restricted and excluded mean cross-entropy. */
    public record Result(double fullLoss, double restrictedLoss, double excludedLoss) {
    }

    private FourierLossAblation() {
    }

    /** Asks the model for the grid's logits (row-major: pair index a*p + b) and ablates them. */
    public static Result compute(GridLogits model, int p, int[] labels, int[] keyFrequencies, boolean[] evaluateOn) {
        int[][] pairs = new int[p * p][];
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < p; b++) {
                pairs[a * p + b] = new int[]{a, b};
            }
        }
        return compute(model.logits(pairs), p, labels, keyFrequencies, evaluateOn);
    }

    /**
     * @param logits [p*p][classes], row a*p + b
     * @param labels [p*p] correct class of each pair
     * @param keyFrequencies frequencies in 1..floor(p/2)
     * @param evaluateOn [p*p] which pairs the losses average over, or null for all
     */
    public static Result compute(double[][] logits, int p, int[] labels, int[] keyFrequencies, boolean[] evaluateOn) {
        int n = p * p;
        if (logits.length != n || labels.length != n || (evaluateOn != null && evaluateOn.length != n)) {
            throw new IllegalArgumentException("restricted loss needs p*p = " + n + " rows of logits, labels and mask; got "
                    + logits.length + ", " + labels.length + ", " + (evaluateOn == null ? "none" : evaluateOn.length));
        }
        FourierBasis basis = FourierBasis.of(p);
        keyFrequencies = java.util.Arrays.stream(keyFrequencies).distinct().toArray(); // a repeated k must not project twice
        int classes = logits[0].length;
        double[][] restricted = new double[n][classes];
        double[][] excluded = new double[n][classes];
        double[] signal = new double[n];
        for (int c = 0; c < classes; c++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                signal[i] = logits[i][c];
                mean += signal[i];
            }
            mean /= n;
            double[] projection = new double[n];
            for (int k : keyFrequencies) {
                double[][] oneD = {basis.cos(k), basis.sin(k)};
                for (double[] u : oneD) {
                    for (double[] v : oneD) {
                        addProjection(signal, u, v, p, projection);
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                restricted[i][c] = mean + projection[i];
                excluded[i][c] = signal[i] - projection[i];
            }
        }
        return new Result(crossEntropy(logits, labels, evaluateOn), crossEntropy(restricted, labels, evaluateOn),
                crossEntropy(excluded, labels, evaluateOn));
    }

    // projection += <signal, u(a)v(b)> u(a)v(b); u, v unit (or zero) vectors over Z_p
    private static void addProjection(double[] signal, double[] u, double[] v, int p, double[] projection) {
        double coef = 0;
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < p; b++) {
                coef += signal[a * p + b] * u[a] * v[b];
            }
        }
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < p; b++) {
                projection[a * p + b] += coef * u[a] * v[b];
            }
        }
    }

    /** Mean cross-entropy (log-sum-exp stabilised) over the rows selected by mask (all when null). */
    static double crossEntropy(double[][] logits, int[] labels, boolean[] mask) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < logits.length; i++) {
            if (mask != null && !mask[i]) {
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (double x : logits[i]) {
                max = Math.max(max, x);
            }
            double z = 0;
            for (double x : logits[i]) {
                z += Math.exp(x - max);
            }
            sum += max + Math.log(z) - logits[i][labels[i]];
            count++;
        }
        if (count == 0) {
            throw new IllegalArgumentException("cross-entropy over an empty set of pairs: the mask selects none");
        }
        return sum / count;
    }
}
