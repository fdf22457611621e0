package polygrok.backend.cpuref;

import org.apache.commons.math3.special.Erf;
import polygrok.backend.Activation;

/** Scalar activations in float64: ReLU and exact (erf) GELU, with their derivatives. */
final class Activations {
    private static final double INV_SQRT2 = 1 / Math.sqrt(2);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private Activations() {
    }

    static double value(Activation act, double x) {
        return switch (act) {
            case RELU -> x > 0 ? x : 0;
            case GELU -> 0.5 * x * (1 + Erf.erf(x * INV_SQRT2));
        };
    }

    static double derivative(Activation act, double x) {
        return switch (act) {
            case RELU -> x > 0 ? 1 : 0;
            case GELU -> 0.5 * (1 + Erf.erf(x * INV_SQRT2)) + x * Math.exp(-0.5 * x * x) * INV_SQRT_2PI;
        };
    }
}
