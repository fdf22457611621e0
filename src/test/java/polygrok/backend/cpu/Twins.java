package polygrok.backend.cpu;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.tensor.DoubleStorage;
import polygrok.tensor.FloatStorage;
import polygrok.tensor.IntStorage;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * The same tensors on the float64 reference and on a cpu backend: random values are rounded to
 * float first, so both backends start from identical numbers and differences come from the op alone.
 */
final class Twins {
    /** A tensor on each backend with the same layout and contents. */
    record Pair(Tensor ref, Tensor cpu) {
    }

    final CpuRefBackend ref = new CpuRefBackend();
    final CpuBackend cpu;
    private final Random rnd;

    Twins(CpuBackend cpu, long seed) {
        this.cpu = cpu;
        this.rnd = new Random(seed);
    }

    /** Packed, uniform in [-scale, scale). */
    Pair random(double scale, int... dims) {
        return strided(0, 0, scale, dims);
    }

    Pair zeros(int... dims) {
        Shape s = Shape.of(dims);
        return new Pair(ref.zeros(s), cpu.zeros(s));
    }

    /** Packed, constant. */
    Pair constant(double value, int... dims) {
        Pair p = zeros(dims);
        ref.fill(p.ref(), value);
        cpu.fill(p.cpu(), value);
        return p;
    }

    /**
     * A view into a bigger random block, as a parameter inside a [M][P] block: each model's slice
     * starts {@code offset} elements into its own P = perModel + gap elements. The gaps hold random
     * values too, so a write outside the view shows up when the whole storage is compared.
     */
    Pair strided(int offset, int gap, double scale, int... dims) {
        Shape s = Shape.of(dims);
        long per = s.perModel(), stride = per + gap;
        int length = (int) (offset + s.dim(0) * stride);
        double[] d = new double[length];
        float[] f = new float[length];
        for (int i = 0; i < length; i++) {
            f[i] = (float) (scale * (2 * rnd.nextDouble() - 1));
            d[i] = f[i];
        }
        return new Pair(new Tensor(new DoubleStorage(d), offset, s, stride), new Tensor(new FloatStorage(f), offset, s, stride));
    }

    /** Packed, values from {@code values}. */
    Pair of(double[] values, int... dims) {
        Pair p = zeros(dims);
        ref.upload(p.ref(), values);
        cpu.upload(p.cpu(), values);
        return p;
    }

    /** Packed I32, uniform in [0, bound). */
    Pair ints(int bound, int... dims) {
        Shape s = Shape.of(dims);
        int[] v = new int[(int) s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextInt(bound);
        }
        return new Pair(ref.ints(s, v), cpu.ints(s, v));
    }

    double nextDouble() {
        return rnd.nextDouble();
    }

    /**
     * Every element of the two storages (views, gaps and all) satisfies |cpu - ref| <= atol + rtol * |ref|;
     * a failure names the op, the tensor, the storage index and both values.
     */
    static void assertClose(String op, String tensor, Pair p, double atol, double rtol) {
        double[] r = storageOf(p.ref());
        float[] c = ((FloatStorage) p.cpu().storage()).data;
        if (r.length != c.length) {
            fail(op + " " + tensor + ": storage lengths differ: ref " + r.length + ", cpu " + c.length);
        }
        int bad = 0;
        StringBuilder msg = new StringBuilder();
        for (int i = 0; i < r.length; i++) {
            double diff = Math.abs(c[i] - r[i]);
            if (!(diff <= atol + rtol * Math.abs(r[i]))) {
                if (bad < 5) {
                    msg.append(String.format("%n  %s %s[%d]: cpu %.9g, ref %.9g, |diff| %.3g > %.3g", op, tensor, i, c[i], r[i],
                            diff, atol + rtol * Math.abs(r[i])));
                }
                bad++;
            }
        }
        if (bad > 0) {
            fail(op + " " + tensor + ": " + bad + " of " + r.length + " elements outside atol " + atol + " + rtol " + rtol + " * |ref|" + msg);
        }
    }

    /** I32 tensors must match exactly. */
    static void assertSameInts(String op, String tensor, Pair p) {
        int[] r = ((IntStorage) p.ref().storage()).data;
        int[] c = ((IntStorage) p.cpu().storage()).data;
        for (int i = 0; i < r.length; i++) {
            if (r[i] != c[i]) {
                fail(op + " " + tensor + "[" + i + "]: cpu " + c[i] + ", ref " + r[i]);
            }
        }
    }

    private static double[] storageOf(Tensor t) {
        return ((DoubleStorage) t.storage()).data;
    }
}
