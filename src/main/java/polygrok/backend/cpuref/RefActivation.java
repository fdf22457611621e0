package polygrok.backend.cpuref;

import static polygrok.backend.cpuref.RefTensors.base;
import static polygrok.backend.cpuref.RefTensors.doubles;

import org.apache.commons.math3.special.Erf;
import polygrok.backend.Activation;
import polygrok.tensor.Tensor;

/** Activations in float64: ReLU and exact (erf) GELU with their derivatives, as scalars and over tensors. */
final class RefActivation {
    private static final double INV_SQRT2 = 1 / Math.sqrt(2);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private RefActivation() {
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

    /** out = act(x), elementwise. */
    static void forward(Activation act, Tensor x, Tensor out) {
        double[] a = doubles(x), o = doubles(out);
        for (int m = 0; m < x.models(); m++) {
            for (int j = 0; j < x.perModel(); j++) {
                o[base(out, m) + j] = value(act, a[base(x, m) + j]);
            }
        }
    }

    /** dX += act′(x) · dOut, elementwise. */
    static void backward(Activation act, Tensor x, Tensor dOut, Tensor dX) {
        double[] a = doubles(x), g = doubles(dOut), gx = doubles(dX);
        for (int m = 0; m < x.models(); m++) {
            for (int j = 0; j < x.perModel(); j++) {
                gx[base(dX, m) + j] += derivative(act, a[base(x, m) + j]) * g[base(dOut, m) + j];
            }
        }
    }
}
