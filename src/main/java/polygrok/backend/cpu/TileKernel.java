package polygrok.backend.cpu;

/**
 * The innermost piece of the GEMM: one register-sized tile of C from mr() rows of A, read in place
 * (element (i, kk) at a[aOff + i * aRs + kk * aCs], so a transposed A costs no copy), and a packed
 * B sliver of kc steps of nr() values (step kk at pbOff + kk * nr(), zero-padded past the matrix edge).
 * Implementations are stateless and safe to share between threads.
 */
interface TileKernel {

    /** Rows of C per tile. */
    int mr();

    /** Columns of C per tile. */
    int nr();

    /**
     * c[i * ldc + j] += sum_kk a[aOff + i * aRs + kk * aCs] * pb[pbOff + kk * nr + j] for a whole mr x nr tile. No branch
     * depends on the data or the tile's position: a JIT that saw only one side of a branch would
     * recompile (and run the vector code unoptimized meanwhile) the first time the other side came.
     * Edge tiles and overwriting are the GEMM's business.
     */
    void tile(float[] a, int aOff, int aRs, int aCs, float[] pb, int pbOff, int kc, float[] c, int cOff, int ldc);

    /** A short name for logs and benchmarks. */
    String describe();
}
