package polygrok.backend.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * Launcher of gemm.cu: 64 x 64 output tiles, 256 threads, column tiles on grid x, row tiles on y, the
 * batch (model) on z. Products with too few tiles to fill the GPU and a long K (weight gradients: K is
 * every row of the batch) are split along K into a scratch buffer and reduced in a fixed order.
 */
final class OwnGemm implements Gemm {
    static final String FAMILY = "gemm";
    static final int TILE = 64;
    static final int BLOCK = 256;
    /** About two waves of blocks on a 132-SM H100: below half of this a product is worth splitting. */
    static final int TARGET_BLOCKS = 264;
    /** Each split keeps at least this much of K, so that the partial sums stay worth their traffic. */
    static final int MIN_K_PER_SPLIT = 512;
    static final int MAX_SPLITS = 32;

    private final Launcher runner;
    private final Scratch scratch;

    OwnGemm(Launcher runner, Scratch scratch) {
        this.runner = runner;
        this.scratch = scratch;
    }

    @Override
    public String name() {
        return "own";
    }

    static long tiles(int rows, int cols, int batch) {
        return Grid.blocksFor(rows, TILE) * Grid.blocksFor(cols, TILE) * batch;
    }

    /** How many stretches of K to sum separately: 1 unless the output is small and K long. */
    static int splitsFor(int rows, int cols, int k, int batch) {
        long tiles = tiles(rows, cols, batch);
        if (tiles * 2 >= TARGET_BLOCKS || k < 2 * MIN_K_PER_SPLIT) {
            return 1;
        }
        long s = Math.min((TARGET_BLOCKS + tiles - 1) / tiles, Math.min(k / MIN_K_PER_SPLIT, MAX_SPLITS));
        s = Math.min(s, Grid.MAX_GRID_YZ / batch);
        return (int) Math.max(1, s);
    }

    /** Column tiles on x, row tiles on y, batch x splits on z. */
    static Grid grid(int rows, int cols, int batch, int splits) {
        return new Grid(Grid.blocksFor(cols, TILE), Grid.blocksFor(rows, TILE), (long) batch * splits, BLOCK, 0);
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
        int splits = splitsFor(rows, cols, k, batch);
        CUdeviceptr partial = splits == 1 ? c.ptr()  // unused by the kernel when splits == 1
                : scratch.get("gemm.partial", (long) batch * splits * rows * cols * DeviceStorage.ELEMENT_BYTES);
        runner.launch(FAMILY, "sgemm_strided_batched", grid(rows, cols, batch, splits), new KernelArgs()
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
