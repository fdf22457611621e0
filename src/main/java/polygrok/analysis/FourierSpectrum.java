package polygrok.analysis;

/**
 * Norms of a weight matrix's Fourier coefficients over the token axis: for each frequency k
 * (index k-1), mu_k = L2 norm over the model dimension of the cosine coefficients, nu_k the same
 * for the sine; {@code constant} is the norm of the constant component.
 *
 * @param order the group order n the basis was taken over (p, or p-1 for the discrete-log basis)
 */
public record FourierSpectrum(int order, double constant, double[] mu, double[] nu) {
    public FourierSpectrum {
        if (mu.length != nu.length || mu.length != order / 2) {
            throw new IllegalArgumentException("spectrum needs floor(order/2) = " + order / 2
                    + " cosine and sine norms, got mu " + mu.length + ", nu " + nu.length);
        }
        mu = mu.clone();
        nu = nu.clone();
    }

    /**
     * Norms at or below this share of the spectrum's largest cosine/sine norm are rounding noise
     * (a pure sine embedding has cosine norms ~1e-16, whose ratios to each other mean nothing).
     */
    public static final double ROUNDING_FLOOR = 1e-9;

    /** A copy with every mu_k, nu_k at or below {@link #ROUNDING_FLOOR} times the largest of them set to 0. */
    public FourierSpectrum withoutRoundingNoise() {
        double max = 0;
        for (int k = 0; k < mu.length; k++) {
            max = Math.max(max, Math.max(mu[k], nu[k]));
        }
        double floor = ROUNDING_FLOOR * max;
        double[] m = mu.clone();
        double[] v = nu.clone();
        for (int k = 0; k < m.length; k++) {
            m[k] = m[k] <= floor ? 0 : m[k];
            v[k] = v[k] <= floor ? 0 : v[k];
        }
        return new FourierSpectrum(order, constant, m, v);
    }

    /** Number of frequencies K. */
    public int frequencies() {
        return mu.length;
    }

    /** Total norm at frequency k (1-based): sqrt(mu_k^2 + nu_k^2). */
    public double norm(int k) {
        return Math.hypot(mu[k - 1], nu[k - 1]);
    }

    /** Total norms of all frequencies, index k-1. */
    public double[] norms() {
        double[] out = new double[mu.length];
        for (int k = 1; k <= mu.length; k++) {
            out[k - 1] = norm(k);
        }
        return out;
    }

    @Override
    public double[] mu() {
        return mu.clone();
    }

    @Override
    public double[] nu() {
        return nu.clone();
    }

    /**
     * The spectrum of the token columns of {@code w} ([rows][columns], one row per model dimension):
     * the first {@code basis.size()} columns are the signal over Z_n, each row transformed on its own.
     */
    public static FourierSpectrum ofColumns(double[][] w, FourierBasis basis) {
        int n = basis.size();
        int k = basis.frequencies();
        double constSq = 0;
        double[] muSq = new double[k];
        double[] nuSq = new double[k];
        double[] row = new double[n];
        for (int r = 0; r < w.length; r++) {
            if (w[r].length < n) {
                throw new IllegalArgumentException("weight row " + r + " has " + w[r].length
                        + " columns; the Fourier basis needs at least " + n + " token columns");
            }
            System.arraycopy(w[r], 0, row, 0, n);
            double[] c = basis.coefficients(row);
            constSq += c[0] * c[0];
            for (int f = 0; f < k; f++) {
                muSq[f] += c[1 + 2 * f] * c[1 + 2 * f];
                nuSq[f] += c[2 + 2 * f] * c[2 + 2 * f];
            }
        }
        double[] mu = new double[k];
        double[] nu = new double[k];
        for (int f = 0; f < k; f++) {
            mu[f] = Math.sqrt(muSq[f]);
            nu[f] = Math.sqrt(nuSq[f]);
        }
        return new FourierSpectrum(n, Math.sqrt(constSq), mu, nu);
    }
}
