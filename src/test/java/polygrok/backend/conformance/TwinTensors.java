package polygrok.backend.conformance;

import java.util.Random;
import polygrok.backend.Backend;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * Makes {@link Twin}s from one seeded generator, runs an op on both sides and checks the result.
 * Random values are rounded to float32 before they reach either backend, so both start from
 * identical numbers and any difference comes from the op alone.
 */
public final class TwinTensors {
    /** One Backend call, written once and run on the reference and on the backend under test. */
    @FunctionalInterface
    public interface Call {
        void run(Backend backend, Tensor[] args);
    }

    private final Backend ref;
    private final Backend got;
    private final String backendName;
    private final Random random;

    public TwinTensors(Backend ref, Backend got, String backendName, long seed) {
        this.ref = ref;
        this.got = got;
        this.backendName = backendName;
        this.random = new Random(seed);
    }

    /** The backend under test, for what it says it supports. */
    public Backend got() {
        return got;
    }

    /** Uniform in [-scale, scale), rounded to float32. */
    public double[] values(long n, double scale) {
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (scale * (2 * random.nextDouble() - 1));
        }
        return v;
    }

    public int[] randomInts(long n, int bound) {
        int[] v = new int[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextInt(bound);
        }
        return v;
    }

    public double nextDouble() {
        return random.nextDouble();
    }

    public Twin zeros(int... dims) {
        Shape s = Shape.of(dims);
        return new Twin(ref.zeros(s), got.zeros(s));
    }

    public Twin of(double[] values, int... dims) {
        Twin t = zeros(dims);
        ref.upload(t.ref(), values);
        got.upload(t.got(), values);
        return t;
    }

    /** Packed, uniform in [-scale, scale). */
    public Twin random(double scale, int... dims) {
        return of(values(Shape.of(dims).size(), scale), dims);
    }

    public Twin intsOf(int[] values, int... dims) {
        Shape s = Shape.of(dims);
        return new Twin(ref.ints(s, values), got.ints(s, values));
    }

    /** Packed I32, uniform in [0, bound). */
    public Twin ints(int bound, int... dims) {
        return intsOf(randomInts(Shape.of(dims).size(), bound), dims);
    }

    /** A random [models, rowLength] block to cut views from; its gaps hold random values too. */
    public Block block(double scale, int models, long rowLength) {
        return new Block(random(scale, models, Math.toIntExact(rowLength)));
    }

    /** A view alone in its block: {@code offset} random elements before it and {@code gap} after it in every model's row. */
    public Twin strided(int offset, int gap, double scale, int... dims) {
        long per = Shape.of(dims).perModel();
        return block(scale, dims[0], offset + per + gap).view(offset, dims);
    }

    /**
     * Views of the given shapes (model axis first, the same for all) laid one after another in one block,
     * with a gap of a few elements before each, as named parameters sit in the trainer's [M, P] block.
     */
    public Twin[] views(double scale, int[]... dims) {
        long[] offsets = new long[dims.length];
        long p = 0;
        for (int i = 0; i < dims.length; i++) {
            p += 1 + i % 4; // gaps of 1 to 4 elements, so no view starts on a vector-aligned position by design
            offsets[i] = p;
            p += Shape.of(dims[i]).perModel();
        }
        Block b = block(scale, dims[0][0], p + 3);
        Twin[] out = new Twin[dims.length];
        for (int i = 0; i < dims.length; i++) {
            out[i] = b.view(offsets[i], dims[i]);
        }
        return out;
    }

    /** Runs {@code call} on the reference tensors, then on the tensors of the backend under test. */
    public void run(Call call, Twin... args) {
        Tensor[] r = new Tensor[args.length];
        Tensor[] g = new Tensor[args.length];
        for (int i = 0; i < args.length; i++) {
            r[i] = args[i].ref();
            g[i] = args[i].got();
        }
        call.run(ref, r);
        call.run(got, g);
    }

    public void check(String op, String tensor, Twin t, Tolerance tol) {
        Agreement.check(ref, got, backendName, op, tensor, t, tol);
    }

    public void checkInts(String op, String tensor, Twin t) {
        Agreement.sameInts(ref, got, backendName, op, tensor, t);
    }
}
