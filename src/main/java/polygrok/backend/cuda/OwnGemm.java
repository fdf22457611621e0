package polygrok.backend.cuda;

/** Launcher of gemm.cu: 64 x 64 output tiles, 256 threads, the batch (model) on grid z. */
final class OwnGemm implements Gemm {
    static final String FAMILY = "gemm";
    static final int TILE = 64;
    static final int BLOCK = 256;

    private final Launcher runner;

    OwnGemm(Launcher runner) {
        this.runner = runner;
    }

    @Override
    public String name() {
        return "own";
    }

    /** Column tiles on x, row tiles on y, batch on z. */
    static Grid grid(int rows, int cols, int batch) {
        return new Grid(Grid.blocksFor(cols, TILE), Grid.blocksFor(rows, TILE), batch, BLOCK, 0);
    }

    @Override
    public void run(int rows, int cols, int k, float alpha, Operand a, Operand b, float beta, Operand c, int batch) {
        if (c.transposed()) {
            throw new IllegalArgumentException("the GEMM output cannot be transposed");
        }
        if (rows == 0 || cols == 0 || batch == 0) {
            return;
        }
        runner.launch(FAMILY, "sgemm_strided_batched", grid(rows, cols, batch), new KernelArgs()
                .i32(a.transposed() ? 1 : 0).i32(b.transposed() ? 1 : 0).i32(rows).i32(cols).i32(k).f32(alpha)
                .ptr(a.ptr()).i32(a.ld()).i64(a.batchStride())
                .ptr(b.ptr()).i32(b.ld()).i64(b.batchStride())
                .f32(beta).ptr(c.ptr()).i32(c.ld()).i64(c.batchStride()));
    }
}
