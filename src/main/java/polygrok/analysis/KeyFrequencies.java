package polygrok.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Key frequencies of a spectrum. The rule: rank frequencies by total norm
 * sqrt(mu_k^2 + nu_k^2), largest first (ties: lower k first), and take the fewest whose
 * squared norms sum to at least {@code energyFraction} of the total non-constant energy.
 * A grokked embedding concentrates on a handful of frequencies, so this picks exactly those;
 * a random one spreads its energy, so most frequencies come out "key" — which is the honest
 * answer. Returned in increasing k. An all-zero spectrum has no key frequencies.
 */
public final class KeyFrequencies {
    /** Share of the non-constant Fourier energy the key frequencies must cover by default. */
    public static final double DEFAULT_ENERGY_FRACTION = 0.9;

    private KeyFrequencies() {
    }

    public static int[] of(FourierSpectrum s) {
        return of(s, DEFAULT_ENERGY_FRACTION);
    }

    public static int[] of(FourierSpectrum s, double energyFraction) {
        if (!(energyFraction > 0 && energyFraction <= 1)) {
            throw new IllegalArgumentException("key-frequency energy fraction must be in (0, 1], got " + energyFraction);
        }
        double[] norms = s.norms();
        double total = 0;
        for (double x : norms) {
            total += x * x;
        }
        if (total == 0) {
            return new int[0];
        }
        Integer[] order = new Integer[norms.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -norms[i]).thenComparingInt(i -> i));
        List<Integer> picked = new ArrayList<>();
        double covered = 0;
        for (int i : order) {
            picked.add(i + 1);
            covered += norms[i] * norms[i];
            // a relative slack so that an exact split (e.g. two equal frequencies, fraction 0.5) stops on time
            if (covered >= energyFraction * total * (1 - 1e-12)) {
                break;
            }
        }
        return picked.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
