package polygrok.analysis;

import java.util.Arrays;

/**
 * The Gini coefficient of non-negative values: 0 when all are equal, (n-1)/n when one holds
 * everything. Applied to the per-frequency Fourier norms sqrt(mu_k^2 + nu_k^2) it measures how
 * sparse a spectrum is. Formula on values sorted ascending, i = 1..n:
 * G = 2 * sum_i i x_(i) / (n * sum_i x_i) - (n + 1) / n; defined as 0 when all values are 0.
 */
public final class Gini {
    private Gini() {
    }

    public static double of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("Gini coefficient needs at least one value");
        }
        double[] x = values.clone();
        Arrays.sort(x);
        if (x[0] < 0) {
            throw new IllegalArgumentException("Gini coefficient needs non-negative values, got " + x[0]);
        }
        double sum = 0;
        double weighted = 0;
        for (int i = 0; i < x.length; i++) {
            sum += x[i];
            weighted += (i + 1) * x[i];
        }
        if (sum == 0) {
            return 0;
        }
        int n = x.length;
        return 2 * weighted / (n * sum) - (n + 1.0) / n;
    }

    /** Gini of a spectrum's per-frequency norms. */
    public static double of(FourierSpectrum s) {
        return of(s.norms());
    }
}
