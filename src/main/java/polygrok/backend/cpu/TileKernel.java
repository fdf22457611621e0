package polygrok.backend.cpu;

/**
 * The innermost piece of the GEMM: one register-sized tile of C from packed slivers of A and B.
 * A sliver holds kc steps of mr() values (row-interleaved: step kk at paOff + kk * mr()); a B sliver
 * holds kc steps of nr() values (step kk at pbOff + kk * nr()); both are zero-padded past the matrix edge.
 * Implementations are stateless and safe to share between threads.
 */
interface TileKernel {

    /** Rows of C per tile. */
    int mr();

    /** Columns of C per tile. */
    int nr();

    /**
     * c[i * ldc + j] += sum_kk pa[kk * mr + i] * pb[kk * nr + j] for a whole mr x nr tile. No branch
     * depends on the data or the tile's position: a JIT that saw only one side of a branch would
     * recompile (and run the vector code unoptimised meanwhile) the first time the other side came.
     * Edge tiles and overwriting are the GEMM's business.
     */
    void tile(float[] pa, int paOff, float[] pb, int pbOff, int kc, float[] c, int cOff, int ldc);

    /** A short name for logs and benchmarks. */
    String describe();
}
