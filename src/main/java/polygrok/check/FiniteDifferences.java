package polygrok.check;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import polygrok.backend.Backend;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * Central finite differences in float64: d f / d x_j ~ (f(x + h e_j) - f(x - h e_j)) / 2h. With
 * h = 1e-5 the truncation error is ~h^2 and the rounding error ~1e-16/h, both far below the 1e-6
 * relative tolerance the checks ask for.
 */
public final class FiniteDifferences {
    public static final double STEP = 1e-5;

    private FiniteDifferences() {
    }

    /**
     * The numerical gradient of {@code f} with respect to the tensor {@code x} (on a float64 backend),
     * perturbing one element at a time and restoring it afterwards.
     */
    public static double[] gradient(Backend backend, Tensor x, ToDoubleFunction<Void> f) {
        double[] values = backend.toDoubles(x);
        double[] grad = new double[values.length];
        for (int j = 0; j < values.length; j++) {
            double keep = values[j];
            values[j] = keep + STEP;
            backend.upload(x, values);
            double plus = f.applyAsDouble(null);
            values[j] = keep - STEP;
            backend.upload(x, values);
            double minus = f.applyAsDouble(null);
            values[j] = keep;
            backend.upload(x, values);
            grad[j] = (plus - minus) / (2 * STEP);
        }
        return grad;
    }

    /** Seeded standard-normal values scaled by {@code scale}. */
    public static double[] randn(java.util.Random rng, long n, double scale) {
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = scale * rng.nextGaussian();
        }
        return v;
    }

    /** A tensor holding seeded random values. */
    public static Tensor randomTensor(Backend backend, java.util.Random rng, Shape shape, double scale) {
        Tensor t = backend.zeros(shape);
        backend.upload(t, randn(rng, shape.size(), scale));
        return t;
    }

    /** Elementwise dot product, used to turn a tensor output into a scalar: L = sum(out * r). */
    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static <T> List<T> listOf(int n, Function<Integer, T> make) {
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(make.apply(i));
        }
        return out;
    }
}
