package polygrok.analysis;

/**
 * The paper's two progress measures on a {@link FourierSpectrum} (Furuta et al., TMLR 2024):
 * Fourier Frequency Density (FFD) and Fourier Coefficient Ratio (FCR).
 */
public final class ProgressMeasures {
    /** The paper's threshold for FFD. */
    public static final double DEFAULT_ETA = 0.5;

    private ProgressMeasures() {
    }

    /**
     * FFD(eta) = (1 / 2K) * sum_k [ 1(mu_k / max_i mu_i > eta) + 1(nu_k / max_j nu_j > eta) ], K = floor(n/2).
     * When every mu (or every nu) is 0 there is no dominant frequency: that half contributes 0
     * (rather than 0/0). At the Nyquist frequency of even n, nu is always 0 and never counts.
     * Rounding noise is removed first ({@link FourierSpectrum#withoutRoundingNoise()}).
     */
    public static double ffd(FourierSpectrum s, double eta) {
        if (!(eta >= 0 && eta < 1)) {
            throw new IllegalArgumentException("FFD threshold eta must be in [0, 1), got " + eta);
        }
        FourierSpectrum clean = s.withoutRoundingNoise();
        double[] mu = clean.mu();
        double[] nu = clean.nu();
        return (countAbove(mu, eta) + countAbove(nu, eta)) / (2.0 * s.frequencies());
    }

    public static double ffd(FourierSpectrum s) {
        return ffd(s, DEFAULT_ETA);
    }

    private static int countAbove(double[] v, double eta) {
        double max = 0;
        for (double x : v) {
            max = Math.max(max, x);
        }
        if (max == 0) {
            return 0;
        }
        int count = 0;
        for (double x : v) {
            if (x / max > eta) {
                count++;
            }
        }
        return count;
    }

    /**
     * FCR = (1 / K) * sum_k min(mu_k / nu_k, nu_k / mu_k), computed as min(mu_k, nu_k) / max(mu_k, nu_k).
     * A frequency with mu_k = nu_k = 0 contributes 0 (no balanced cosine/sine pair there), and so
     * does one where only one of them is 0 (the limit of the ratio). Rounding noise is removed
     * first ({@link FourierSpectrum#withoutRoundingNoise()}).
     */
    public static double fcr(FourierSpectrum s) {
        FourierSpectrum clean = s.withoutRoundingNoise();
        double[] mu = clean.mu();
        double[] nu = clean.nu();
        double sum = 0;
        for (int k = 0; k < mu.length; k++) {
            double hi = Math.max(mu[k], nu[k]);
            if (hi > 0) {
                sum += Math.min(mu[k], nu[k]) / hi;
            }
        }
        return sum / mu.length;
    }
}
