package polygrok.backend.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * Launcher of gemm.cu, with three kernels of the same arguments that differ in their square output tile:
 * sgemm_big (128 x 128, 8 x 8 outputs per thread), sgemm_medium (64 x 64, 4 x 4) and sgemm_small
 * (32 x 32, 2 x 2). Larger tiles reuse each loaded element more; smaller ones give more blocks, which is
 * what a single model's skinny products lack. Column tiles on grid x, row tiles on y, the batch (model) on
 * z. Products with too few tiles to fill the GPU and a long K (weight gradients: K is every row of the
 * batch) are split along K into a scratch buffer and reduced in a fixed order. All kernels do plain float32
 * FMAs in K order, so the choice moves no accuracy contract. With {@code tensorCores} (-Dpolygrok.cuda.gemm=tf32x3)
 * the 128-wide tiles run on the tensor cores instead (gemm_tc.cu: each float split into two TF32 numbers,
 * three MMAs per product, about float32 accuracy); the plan is the same.
 */
final class OwnGemm implements Gemm {
    static final String FAMILY = "gemm";
    static final String SMALL_KERNEL = "sgemm_small";
    static final String MID_KERNEL = "sgemm_medium";
    static final String BIG_KERNEL = "sgemm_big";
    static final int SMALL_TILE = 32;
    static final int MID_TILE = 64;
    static final int BIG_TILE = 128;
    static final int BLOCK = 256;
    /** Each split of the 64- and 128-wide kernels keeps at least this much of K, so that the partial sums stay worth their traffic. */
    static final int MIN_K_PER_SPLIT = 512;
    /**
     * The same for the 32-wide kernel, the last resort when blocks are scarce: a stretch of 128 still does
     * 256 flops per partial float written and read back, well above the GPU's flop-per-byte balance.
     */
    static final int SMALL_MIN_K_PER_SPLIT = 128;
    static final int MAX_SPLITS = 32;

    /** gemm_tc.cu: the 128 x 128 product on the tensor cores, each float split into two TF32 parts ("3xTF32"). */
    static final String TC_FAMILY = "gemm_tc";
    static final String TC_KERNEL = "sgemm_tf32x3";

    private final Launcher runner;
    private final Scratch scratch;
    private final int multiprocessors;
    private final boolean tensorCores;

    /** @param multiprocessors the device's SM count: one block per SM is a full wave (see {@link #plan}) */
    OwnGemm(Launcher runner, Scratch scratch, int multiprocessors) {
        this(runner, scratch, multiprocessors, false);
    }

    /** @param tensorCores run the 128-wide tiles with sgemm_tf32x3 instead of sgemm_big (same plan, same arguments) */
    OwnGemm(Launcher runner, Scratch scratch, int multiprocessors, boolean tensorCores) {
        if (multiprocessors < 1) {
            throw new IllegalArgumentException("a GPU has at least one multiprocessor, not " + multiprocessors);
        }
        this.runner = runner;
        this.scratch = scratch;
        this.multiprocessors = multiprocessors;
        this.tensorCores = tensorCores;
    }

    @Override
    public String name() {
        return tensorCores ? "own-tf32x3" : "own";
    }

    static long tiles(int rows, int cols, int batch, int tile) {
        return Grid.blocksFor(rows, tile) * Grid.blocksFor(cols, tile) * batch;
    }

    static int minKPerSplit(int tile) {
        return tile <= SMALL_TILE ? SMALL_MIN_K_PER_SPLIT : MIN_K_PER_SPLIT;
    }

    /** About two waves of blocks: below half of this a product is worth splitting. */
    static int targetBlocks(int multiprocessors) {
        return 2 * multiprocessors;
    }

    /**
     * How many stretches of K to sum separately with tiles of side {@code tile} on a GPU of
     * {@code multiprocessors} SMs: 1 unless the output is small and K long.
     */
    static int splitsFor(int rows, int cols, int k, int batch, int tile, int multiprocessors) {
        long tiles = tiles(rows, cols, batch, tile);
        int minK = minKPerSplit(tile);
        int target = targetBlocks(multiprocessors);
        if (tiles * 2 >= target || k < 2 * minK) {
            return 1;
        }
        long s = Math.min((target + tiles - 1) / tiles, Math.min(k / minK, MAX_SPLITS));
        s = Math.min(s, Grid.MAX_GRID_YZ / batch);
        return (int) Math.max(1, s);
    }

    /**
     * The largest tile whose blocks, after any K-splitting, make at least one full wave (one block per SM;
     * larger tiles need less shared-memory and global traffic per FMA); when none does, the tile giving the
     * most blocks, the smaller one on a tie (equal blocks of a smaller tile do less wasted work at the edges).
     */
    static GemmPlan plan(int rows, int cols, int k, int batch, int multiprocessors) {
        GemmPlan best = null;
        long bestBlocks = -1;
        for (GemmPlan candidate : new GemmPlan[] {
                new GemmPlan(BIG_KERNEL, BIG_TILE, splitsFor(rows, cols, k, batch, BIG_TILE, multiprocessors)),
                new GemmPlan(MID_KERNEL, MID_TILE, splitsFor(rows, cols, k, batch, MID_TILE, multiprocessors)),
                new GemmPlan(SMALL_KERNEL, SMALL_TILE, splitsFor(rows, cols, k, batch, SMALL_TILE, multiprocessors))}) {
            long blocks = tiles(rows, cols, batch, candidate.tile()) * candidate.splits();
            if (blocks >= multiprocessors) {
                return candidate;
            }
            if (blocks >= bestBlocks) {
                best = candidate;
                bestBlocks = blocks;
            }
        }
        return best;
    }

    /** Column tiles on x, row tiles on y, batch x splits on z. */
    static Grid grid(int rows, int cols, int batch, int splits, int tile) {
        return new Grid(Grid.blocksFor(cols, tile), Grid.blocksFor(rows, tile), (long) batch * splits, BLOCK, 0);
    }

    static Grid reduceGrid(int rows, int cols, int batch) {
        return Grid.perModel((long) rows * cols, batch, BLOCK);
    }

    @Override
    public void run(int rows, int cols, int k, float alpha, Operand a, Operand b, float beta, Operand c, int batch) {
        if (c.transposed()) {
            throw new IllegalArgumentException("the GEMM output cannot be transposed");
        }
        if (rows == 0 || cols == 0 || batch == 0) {
            return;
        }
        GemmPlan plan = plan(rows, cols, k, batch, multiprocessors);
        int splits = plan.splits();
        CUdeviceptr partial = splits == 1 ? c.ptr()  // unused by the kernel when splits == 1
                : scratch.get("gemm.partial", (long) batch * splits * rows * cols * DeviceStorage.ELEMENT_BYTES);
        boolean tc = tensorCores && plan.kernel().equals(BIG_KERNEL);
        runner.launch(tc ? TC_FAMILY : FAMILY, tc ? TC_KERNEL : plan.kernel(), grid(rows, cols, batch, splits, plan.tile()), new KernelArgs()
                .i32(a.transposed() ? 1 : 0).i32(b.transposed() ? 1 : 0).i32(rows).i32(cols).i32(k).f32(alpha)
                .ptr(a.ptr()).i32(a.ld()).i64(a.batchStride())
                .ptr(b.ptr()).i32(b.ld()).i64(b.batchStride())
                .f32(beta).ptr(c.ptr()).i32(c.ld()).i64(c.batchStride())
                .i32(splits).ptr(partial));
        if (splits > 1) {
            runner.launch(FAMILY, "gemm_reduce_splits", reduceGrid(rows, cols, batch), new KernelArgs()
                    .ptr(partial).i32(splits).i32(rows).i32(cols).f32(alpha).f32(beta)
                    .ptr(c.ptr()).i32(c.ld()).i64(c.batchStride()));
        }
    }
}
