package polygrok.backend.cpu;

/**
 * The innermost piece of the GEMM: one register-sized tile of C from mr() rows of A, read in place
 * (element (i, kk) at a[aOff + i * aRs + kk * aCs], so a transposed A costs no copy), and a packed
 * B sliver of kc steps of nr() values (step kk at pbOff + kk * nr(), zero-padded past the matrix edge).
 * Every element's sum starts from +0 and runs over kk in order, whichever method computes it, so a
 * tile and an edge tile give an element the same bits.
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
     */
    void tile(float[] a, int aOff, int aRs, int aCs, float[] pb, int pbOff, int kc, float[] c, int cOff, int ldc);

    /**
     * {@link #tile} over a C that is not read: c[i * ldc + j] = +0 + sum_kk ..., the bits {@code tile} gives
     * on a zeroed C, without zeroing it first (an overwriting product's first k-block).
     */
    void tileStore(float[] a, int aOff, int aRs, int aCs, float[] pb, int pbOff, int kc, float[] c, int cOff, int ldc);

    /**
     * A tile that crosses the matrix edge: only {@code rows <= mr()} rows of A exist (the others are
     * never read) and only {@code cols <= nr()} columns matter. out[i * nr() + j] = +0 + sum_kk ...
     * for i < rows and j < cols; the rest of out (mr() x nr() floats) is scratch. A kernel may
     * compute fewer columns when cols allows (one vector instead of two).
     */
    void edgeTile(float[] a, int aOff, int aRs, int aCs, int rows, int cols, float[] pb, int pbOff, int kc, float[] out);

    /** A short name for logs and benchmarks. */
    String describe();
}
