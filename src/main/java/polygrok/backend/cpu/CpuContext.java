package polygrok.backend.cpu;

import polygrok.tensor.FloatStorage;
import polygrok.tensor.IntStorage;
import polygrok.tensor.Tensor;

/** What every cpu op shares: the worker pool, the GEMM, and tensor accessors. */
final class CpuContext implements AutoCloseable {

    /** A contiguous range [from, to) of some index space, run by one worker. */
    @FunctionalInterface
    interface RangeBody {
        void run(int from, int to, int worker);
    }

    /** Elementwise work below this many elements runs on the calling thread. */
    static final int SERIAL_ELEMENTS = 1 << 15;

    final WorkerPool pool;
    final Gemm gemm;
    final Elementwise elementwise;

    CpuContext(int threads, boolean vector) {
        this.pool = new WorkerPool(threads);
        this.gemm = new Gemm(pool, TileKernels.choose(vector));
        this.elementwise = TileKernels.chooseElementwise(vector);
    }

    /** out = act(x) over n elements, split over the pool. */
    void activate(polygrok.backend.Activation act, float[] x, int xOff, float[] out, int oOff, int n) {
        if (act == polygrok.backend.Activation.RELU) {
            forRange(n, 1 << 14, 1, (from, to, w) -> elementwise.relu(x, xOff + from, out, oOff + from, to - from));
        } else {
            forRange(n, 1 << 14, 16, (from, to, w) -> FloatActivations.forward(act, x, xOff + from, out, oOff + from, to - from));
        }
    }

    /**
     * Splits [0, n) into chunks of {@code chunk} (the last may be shorter) and runs them on the pool,
     * or on the calling thread when {@code n * costPerItem} is small. The chunking depends on n and
     * chunk only, never on the thread count.
     */
    void forRange(int n, int chunk, long costPerItem, RangeBody body) {
        if (n <= 0) {
            return;
        }
        if ((long) n * costPerItem < SERIAL_ELEMENTS || n <= chunk) {
            body.run(0, n, 0);
            return;
        }
        int chunks = (n + chunk - 1) / chunk;
        pool.parallelFor(chunks, (c, w) -> body.run(c * chunk, Math.min(n, (c + 1) * chunk), w));
    }

    static float[] f(Tensor t) {
        if (!(t.storage() instanceof FloatStorage s)) {
            throw new IllegalArgumentException("the cpu backend needs float32 heap tensors, got " + t);
        }
        return s.data;
    }

    static int[] intData(Tensor t) {
        if (!(t.storage() instanceof IntStorage s)) {
            throw new IllegalArgumentException("the cpu backend needs I32 heap tensors here, got " + t);
        }
        return s.data;
    }

    /** Element offset of model m's first element. */
    static int b(Tensor t, int m) {
        return (int) t.base(m);
    }

    /** A buffer of at least n floats: {@code buf} itself when big enough (workspaces only grow). */
    static float[] grow(float[] buf, int n) {
        return buf.length >= n ? buf : new float[n];
    }

    static void checkToken(int token, int vocab, String what) {
        if (token < 0 || token >= vocab) {
            throw new IllegalArgumentException(what + " " + token + " outside the vocabulary [0, " + vocab + ")");
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
