package polygrok.backend.cuda;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import polygrok.backend.Backend;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * The same tensors on the float64 reference and on the backend under test, filled with the same
 * float32-rounded values, and the comparison |gpu - ref| <= atol + rtol * |ref| that names op, tensor,
 * index and both values on failure.
 */
final class BackendPair {
    /** One tensor on both backends. */
    record Pair(Tensor ref, Tensor gpu) {
    }

    final Backend ref;
    final Backend gpu;
    private final Random random;

    BackendPair(Backend ref, Backend gpu, long seed) {
        this.ref = ref;
        this.gpu = gpu;
        this.random = new Random(seed);
    }

    /** Values drawn uniformly from [-scale, scale), rounded to float32 so both backends start from the same numbers. */
    double[] values(long n, double scale) {
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }

    Pair of(Shape shape, double[] values) {
        Tensor r = ref.zeros(shape);
        ref.upload(r, values);
        Tensor g = gpu.zeros(shape);
        gpu.upload(g, values);
        return new Pair(r, g);
    }

    Pair random(Shape shape, double scale) {
        return of(shape, values(shape.size(), scale));
    }

    Pair zeros(Shape shape) {
        return new Pair(ref.zeros(shape), gpu.zeros(shape));
    }

    Pair ints(Shape shape, int[] values) {
        return new Pair(ref.ints(shape, values), gpu.ints(shape, values));
    }

    int[] randomInts(long n, int bound) {
        int[] v = new int[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextInt(bound);
        }
        return v;
    }

    /** A view of {@code shape} at {@code offset} inside each model's row of a [M, P] block (model stride P). */
    static Pair view(Pair block, long offset, Shape shape) {
        return new Pair(new Tensor(block.ref().storage(), block.ref().offset() + offset, shape, block.ref().modelStride()),
                new Tensor(block.gpu().storage(), block.gpu().offset() + offset, shape, block.gpu().modelStride()));
    }

    /**
     * Fails unless every element satisfies |gpu - ref| <= atol + rtol * |ref|, where atol is
     * {@code atolFactor} times the largest |ref| of the tensor (float32 rounding scales with the magnitudes
     * that were summed).
     */
    void check(String op, String tensor, Pair p, double atolFactor, double rtol) {
        double[] r = ref.toDoubles(p.ref());
        double[] g = gpu.toDoubles(p.gpu());
        if (r.length != g.length) {
            fail(op + ": " + tensor + " has " + g.length + " elements on " + gpu.name() + ", " + r.length + " on the reference");
        }
        double max = 0;
        for (double x : r) {
            max = Math.max(max, Math.abs(x));
        }
        double atol = atolFactor * max;
        int bad = 0;
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < r.length; i++) {
            double diff = Math.abs(g[i] - r[i]);
            if (!(diff <= atol + rtol * Math.abs(r[i]))) { // written so that NaN fails
                if (bad < 5) {
                    report.append(String.format("%n  %s %s[%d]: %s %.9g vs cpuref %.9g (|diff| %.3g > %.3g)", op, tensor, i,
                            gpu.name(), g[i], r[i], diff, atol + rtol * Math.abs(r[i])));
                }
                bad++;
            }
        }
        if (bad > 0) {
            fail(op + ": " + bad + " of " + r.length + " elements of " + tensor + " differ (atol " + atol + ", rtol " + rtol + ")" + report);
        }
    }
}
