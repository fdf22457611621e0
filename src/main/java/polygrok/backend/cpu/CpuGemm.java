package polygrok.backend.cpu;

/**
 * Single-precision matrix product C (+)= A B for one model, blocked for the caches and split over
 * the worker pool. A [m x k] and B [k x n] are strided views (element (i, j) at
 * {@code off + i * rowStride + j * colStride}) so that transposed operands need no copy; C has
 * contiguous rows {@code ldc} apart.
 *
 * <p>B is packed once into column panels of {@link TileKernel#nr()} (zero-padded); each task owns
 * a block of C (up to {@link #MC} rows by some panels) and adds tile after tile into it, kc =
 * {@link #KC} steps at a time, reading A in place (the tile kernel takes A's strides; packing A cost
 * more than it saved at these sizes); unless accumulating, the first k-block stores its tiles (as
 * +0 + sum, the bits of adding into zeros) instead of the task zeroing its block first. Tiles
 * that cross the matrix edge also read A in place and land in a per-worker scratch tile whose valid
 * part is added to C.
 * K is never split between tasks, and every element of C sums its k-blocks in order, so the result
 * does not depend on the thread count.
 *
 * <p>A product runs in a lane ({@link CpuContext#POOL}, or one worker running it alone while the
 * other workers run other models' products): the tasks are the same either way, so are the bits;
 * each worker packs B into its own buffer.
 */
final class CpuGemm {
    /** Depth of one packed step: a 256 x 32 float B sliver is 32 KiB, L1-sized. */
    static final int KC = 256;
    /** Rows of C per task (a multiple of the tile height 6). */
    static final int MC = 48;
    /** Column panels of C per task, unless there are at least WIDE_ROW_BLOCKS row blocks. */
    static final int PANELS_PER_TASK = 4;
    static final int WIDE_ROW_BLOCKS = 16;
    /** Below this many multiply-adds the product runs on the calling thread alone. */
    static final long SERIAL_WORK = 1L << 18;

    private final WorkerPool pool;
    private final TileKernel kernel;
    private final int mr;
    private final int nr;
    /** Per-worker scratch for edge tiles: the tile of C. */
    private final float[][] edgeC;
    /** Per worker: packed panels of B (the pool lane packs into worker 0's, shared by its tasks). */
    private final float[][] packedB;

    CpuGemm(WorkerPool pool, TileKernel kernel) {
        this.pool = pool;
        this.kernel = kernel;
        this.mr = kernel.mr();
        this.nr = kernel.nr();
        if (MC % mr != 0) {
            throw new IllegalStateException("MC = " + MC + " is not a multiple of the tile height " + mr);
        }
        this.edgeC = new float[pool.size()][mr * nr];
        this.packedB = new float[pool.size()][0];
    }

    TileKernel kernel() {
        return kernel;
    }

    /**
     * C[m x n] = A[m x k] B[k x n], or C += A B when {@code accumulate}.
     */
    void multiply(int m, int n, int k,
                  float[] a, int aOff, int aRs, int aCs,
                  float[] b, int bOff, int bRs, int bCs,
                  float[] c, int cOff, int ldc, boolean accumulate) {
        multiply(CpuContext.POOL, m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
    }

    /** {@link #multiply(int, int, int, float[], int, int, int, float[], int, int, int, float[], int, int, boolean)} in a lane. */
    void multiply(int lane, int m, int n, int k,
                  float[] a, int aOff, int aRs, int aCs,
                  float[] b, int bOff, int bRs, int bCs,
                  float[] c, int cOff, int ldc, boolean accumulate) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        boolean parallel = lane == CpuContext.POOL && (long) m * n * k >= SERIAL_WORK;
        int own = CpuContext.scratch(lane);
        int panels = (n + nr - 1) / nr;
        int panelSize = k * nr;
        if (packedB[own].length < panels * panelSize) {
            packedB[own] = new float[panels * panelSize];
        }
        float[] pb = packedB[own];
        run(panels, parallel, own, (p, w) -> packB(p, n, k, b, bOff, bRs, bCs, pb, p * panelSize));

        int rowBlocks = (m + MC - 1) / MC;
        // with rows enough to keep every thread busy, one task takes all columns and packs its A once
        int panelsPerTask = rowBlocks >= WIDE_ROW_BLOCKS ? panels : PANELS_PER_TASK;
        int colBlocks = (panels + panelsPerTask - 1) / panelsPerTask;
        run(rowBlocks * colBlocks, parallel, own, (task, w) -> {
            int i0 = (task / colBlocks) * MC;
            int rows = Math.min(MC, m - i0);
            int p0 = (task % colBlocks) * panelsPerTask;
            int p1 = Math.min(panels, p0 + panelsPerTask);
            for (int k0 = 0; k0 < k; k0 += KC) {
                int kc = Math.min(KC, k - k0);
                boolean store = !accumulate && k0 == 0; // the first k-block of an overwriting product: C is not read
                for (int p = p0; p < p1; p++) {
                    int j0 = p * nr;
                    int cols = Math.min(nr, n - j0);
                    int pbOff = p * panelSize + k0 * nr;
                    for (int r = 0; r < rows; r += mr) {
                        int cAt = cOff + (i0 + r) * ldc + j0;
                        int aAt = aOff + (i0 + r) * aRs + k0 * aCs;
                        if (cols == nr && r + mr <= rows) {
                            if (store) {
                                kernel.tileStore(a, aAt, aRs, aCs, pb, pbOff, kc, c, cAt, ldc);
                            } else {
                                kernel.tile(a, aAt, aRs, aCs, pb, pbOff, kc, c, cAt, ldc);
                            }
                        } else {
                            edgeTile(a, aAt, aRs, aCs, Math.min(mr, rows - r), pb, pbOff, kc, c, cAt, ldc, cols, w, store);
                        }
                    }
                }
            }
        });
    }

    /**
     * A tile that crosses the matrix edge: computed into scratch, then its valid part added to C, or
     * stored as +0 + it when {@code store} (what adding into a zeroed C gives).
     */
    private void edgeTile(float[] a, int aAt, int aRs, int aCs, int rows, float[] pb, int pbOff, int kc,
                          float[] c, int cAt, int ldc, int cols, int w, boolean store) {
        float[] scratch = edgeC[w];
        kernel.edgeTile(a, aAt, aRs, aCs, rows, cols, pb, pbOff, kc, scratch);
        for (int i = 0; i < rows; i++) {
            int row = cAt + i * ldc, s = i * nr;
            if (store) {
                for (int j = 0; j < cols; j++) {
                    c[row + j] = 0f + scratch[s + j];
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    c[row + j] += scratch[s + j];
                }
            }
        }
    }

    /** The tasks over the pool, or in order on the calling thread as worker {@code own}. */
    private void run(int tasks, boolean parallel, int own, WorkerPool.Body body) {
        if (parallel) {
            pool.parallelFor(tasks, body);
        } else {
            for (int t = 0; t < tasks; t++) {
                body.run(t, own);
            }
        }
    }

    /** Panel p of B: k steps of nr columns starting at column p * nr, zero past column n. */
    private void packB(int p, int n, int k, float[] b, int bOff, int bRs, int bCs, float[] pb, int dst) {
        int j0 = p * nr;
        int cols = Math.min(nr, n - j0);
        if (bCs == 1) {
            for (int kk = 0; kk < k; kk++) {
                int src = bOff + kk * bRs + j0;
                int d = dst + kk * nr;
                System.arraycopy(b, src, pb, d, cols);
                java.util.Arrays.fill(pb, d + cols, d + nr, 0f);
            }
        } else {
            for (int jj = 0; jj < nr; jj++) {
                if (jj < cols) {
                    int src = bOff + (j0 + jj) * bCs;
                    for (int kk = 0; kk < k; kk++) {
                        pb[dst + kk * nr + jj] = b[src + kk * bRs];
                    }
                } else {
                    for (int kk = 0; kk < k; kk++) {
                        pb[dst + kk * nr + jj] = 0f;
                    }
                }
            }
        }
    }
}
