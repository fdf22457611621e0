package polygrok.backend.cpu;

import polygrok.tensor.FloatStorage;
import polygrok.tensor.IntStorage;
import polygrok.tensor.Tensor;

/** What every cpu op shares: the worker pool, the GEMM, and tensor accessors (shapes are checked by OpShapes). */
final class CpuContext implements AutoCloseable {

    /** A contiguous range [from, to) of some index space, run by one worker. */
    @FunctionalInterface
    interface RangeBody {
        void run(int from, int to, int worker);
    }

    /** One model's share of an op: {@code lane} is {@link #POOL} or the worker that runs it alone. */
    @FunctionalInterface
    interface ModelBody {
        void run(int model, int lane);
    }

    /** SimdLoops work below this many elements runs on the calling thread. */
    static final int SERIAL_ELEMENTS = 1 << 15;
    /** The lane of an op that splits its work over the whole pool (the models taken one by one). */
    static final int POOL = -1;
    /**
     * Per-model work (about multiply-adds) below which an op with several models hands whole models
     * to the workers rather than splitting each model's work over them: at these sizes a dispatch
     * per model costs more than the imbalance of whole models (the quick configurations' products
     * are 2^24 multiply-adds or fewer; the paper configuration's MLP products 2^27 and more).
     */
    static final long MODEL_SPLIT_WORK = 1L << 26;

    final WorkerPool pool;
    final CpuGemm gemm;
    final SimdLoops loops;

    CpuContext(int threads, boolean vector) {
        this.pool = new WorkerPool(threads);
        this.gemm = new CpuGemm(pool, TileKernels.choose(vector));
        this.loops = TileKernels.chooseLoops(vector);
    }

    /**
     * Runs {@code body} for every model in [0, models): when there are several models and each has
     * little work ({@code workPerModel} below {@link #MODEL_SPLIT_WORK}), the workers take whole
     * models and each runs its model's op alone (lane = its worker id, for its own scratch);
     * otherwise the models run one by one, each split over the pool (lane = {@link #POOL}). Every
     * op computes a model the same way in either lane, so the bits do not depend on the choice.
     */
    void forModels(int models, long workPerModel, ModelBody body) {
        if (models >= 2 && pool.size() > 1 && workPerModel < MODEL_SPLIT_WORK) {
            pool.parallelFor(models, body::run);
        } else {
            for (int m = 0; m < models; m++) {
                body.run(m, POOL);
            }
        }
    }

    /** The index of a lane's own scratch: the worker's, or worker 0's for the pool lane. */
    static int scratch(int lane) {
        return lane == POOL ? 0 : lane;
    }

    /** out = act(x) over n elements, split over the pool. */
    void activate(polygrok.backend.Activation act, float[] x, int xOff, float[] out, int oOff, int n) {
        activate(POOL, act, x, xOff, out, oOff, n);
    }

    /** out = act(x) over n elements in the given lane. */
    void activate(int lane, polygrok.backend.Activation act, float[] x, int xOff, float[] out, int oOff, int n) {
        if (act == polygrok.backend.Activation.RELU) {
            forRange(lane, n, 1 << 14, 1, (from, to, w) -> loops.relu(x, xOff + from, out, oOff + from, to - from));
        } else {
            forRange(lane, n, 1 << 14, 4, (from, to, w) -> loops.gelu(x, xOff + from, out, oOff + from, to - from));
        }
    }

    /**
     * Splits [0, n) into chunks of {@code chunk} (the last may be shorter) and runs them on the pool,
     * or on the calling thread when {@code n * costPerItem} is small. The chunking depends on n and
     * chunk only, never on the thread count.
     */
    void forRange(int n, int chunk, long costPerItem, RangeBody body) {
        forRange(POOL, n, chunk, costPerItem, body);
    }

    /**
     * {@link #forRange(int, int, long, RangeBody)} in a lane: a worker's lane runs the whole range
     * at once on that worker. Callers' bodies treat each index alone, so any split gives the same bits.
     */
    void forRange(int lane, int n, int chunk, long costPerItem, RangeBody body) {
        if (n <= 0) {
            return;
        }
        if (lane != POOL) {
            body.run(0, n, lane);
            return;
        }
        if ((long) n * costPerItem < SERIAL_ELEMENTS || n <= chunk) {
            body.run(0, n, 0);
            return;
        }
        int chunks = (n + chunk - 1) / chunk;
        pool.parallelFor(chunks, (c, w) -> body.run(c * chunk, Math.min(n, (c + 1) * chunk), w));
    }

    static float[] floats(Tensor t) {
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
    static int base(Tensor t, int m) {
        return (int) t.base(m);
    }

    /** A buffer of at least n floats: {@code buf} itself when big enough (workspaces only grow). */
    static float[] grow(float[] buf, int n) {
        return buf.length >= n ? buf : new float[n];
    }

    /** Grows every lane's buffer to at least n floats (workspaces only grow: no allocation once warm). */
    static void growAll(float[][] lanes, int n) {
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = grow(lanes[i], n);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
