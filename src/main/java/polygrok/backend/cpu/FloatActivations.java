package polygrok.backend.cpu;

import polygrok.backend.Activation;

/**
 * ReLU and exact (erf) GELU for float32 tensors. erf uses Abramowitz and Stegun 7.1.26
 * (absolute error below 1.5e-7, under half a float ulp near 1), evaluated in double.
 */
final class FloatActivations {
    private static final double INV_SQRT2 = 1 / Math.sqrt(2);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private FloatActivations() {
    }

    static float value(Activation act, float x) {
        if (act == Activation.RELU) {
            return x > 0 ? x : 0f;
        }
        return (float) (0.5 * x * (1 + erf(x * INV_SQRT2)));
    }

    static float derivative(Activation act, float x) {
        if (act == Activation.RELU) {
            return x > 0 ? 1f : 0f;
        }
        double xd = x;
        return (float) (0.5 * (1 + erf(xd * INV_SQRT2)) + xd * Math.exp(-0.5 * xd * xd) * INV_SQRT_2PI);
    }

    /** out[i] = act(x[i]) for i in [from, to) of both arrays' runs starting at xOff and oOff. */
    static void forward(Activation act, float[] x, int xOff, float[] out, int oOff, int n) {
        if (act == Activation.RELU) {
            for (int i = 0; i < n; i++) {
                float v = x[xOff + i];
                out[oOff + i] = v > 0 ? v : 0f;
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[oOff + i] = value(act, x[xOff + i]);
            }
        }
    }

    static double erf(double x) {
        double ax = Math.abs(x);
        double t = 1 / (1 + 0.3275911 * ax);
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        double y = 1 - poly * Math.exp(-ax * ax);
        return x < 0 ? -y : y;
    }
}
