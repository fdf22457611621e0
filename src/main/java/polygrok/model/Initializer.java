package polygrok.model;

import org.apache.commons.math3.random.MersenneTwister;

/**
 * Seeded initial weights on the host, identical on every backend: model m draws from its own
 * Mersenne Twister seeded with seeds[m], parameters in declaration order, elements row-major; a normal
 * value takes one Gaussian draw, a uniform one one {@code nextDouble}, a constant none.
 */
public final class Initializer {
    private Initializer() {
    }

    /** M * P values, model-major, for {@link polygrok.backend.Backend#upload} into a [M, P] block. */
    public static double[] initialValues(ParameterLayout layout, long[] seeds) {
        long p = layout.total();
        double[] out = new double[Math.toIntExact(p * seeds.length)];
        for (int m = 0; m < seeds.length; m++) {
            MersenneTwister rng = new MersenneTwister(seeds[m]);
            for (ParameterSpec s : layout.specs()) {
                int base = Math.toIntExact(m * p + s.offset());
                for (int j = 0; j < s.size(); j++) {
                    out[base + j] = s.init().draw(rng);
                }
            }
        }
        return out;
    }
}
