package polygrok.backend.cpu;

/**
 * The elementwise loops written for SIMD, because the JIT does not vectorise them on its own: a
 * data-dependent select compiles to a branch, which mispredicts on every other ReLU input; an add
 * into a row found through a token keeps its bounds checks; Math.exp is a call per element where the
 * Vector API computes eight at once; GELU's erf and exp, scalar, were a fifth of a transformer's epoch.
 * {@link ScalarLoops} is the plain-Java twin (bit for bit the same results for the GELU loops).
 */
interface SimdLoops {

    /** out[oOff + i] = x[xOff + i] > 0 ? x[xOff + i] : 0 for i < n (NaN gives 0, as in cpuref). */
    void relu(float[] x, int xOff, float[] out, int oOff, int n);

    /** d[dOff + i] = pre[pOff + i] > 0 ? d[dOff + i] : 0 for i < n: the ReLU backward, in place. */
    void reluMask(float[] pre, int pOff, float[] d, int dOff, int n);

    /** gx[gxOff + i] += (x[xOff + i] > 0 ? 1 : 0) * g[gOff + i] for i < n: the ReLU backward into a gradient. */
    void reluGradAdd(float[] x, int xOff, float[] g, int gOff, float[] gx, int gxOff, int n);

    /** out[oOff + i] = GELU(x[xOff + i]) for i < n ({@link FloatGelu#value}). */
    void gelu(float[] x, int xOff, float[] out, int oOff, int n);

    /** d[dOff + i] *= GELU'(pre[pOff + i]) for i < n: the GELU backward, in place. */
    void geluGrad(float[] pre, int pOff, float[] d, int dOff, int n);

    /** gx[gxOff + i] += GELU'(x[xOff + i]) * g[gOff + i] for i < n: the GELU backward into a gradient. */
    void geluGradAdd(float[] x, int xOff, float[] g, int gOff, float[] gx, int gxOff, int n);

    /** dst[dOff + i] += src[sOff + i] for i < n. */
    void addInto(float[] src, int sOff, float[] dst, int dOff, int n);

    /**
     * out[i] = exp((double) z[zOff + i] - max) for i < n, and their sum in float64 (lane sums first on
     * the Vector API: a fixed order, so the same bits every run). The softmax of a row of logits.
     */
    double expShifted(float[] z, int zOff, int n, float max, double[] out);

    /**
     * LayerNorm of rows [from, to) of x (row r at xBase + r * d, d wide): mean[mBase + r] and
     * rstd[rBase + r] = 1 / sqrt(var + eps) are saved, out = (x - mean) * rstd * w + b. The scalar loops
     * take the statistics in float64; the vector loops in float32 lanes, each lane's sums added in
     * lane order in float64 (a fixed order: the same bits whatever the thread or the JIT).
     */
    void layerNormRows(float[] x, int xBase, float[] w, int wOff, float[] b, int bOff, float[] out, int oBase, int d,
                       double eps, float[] mean, int mBase, float[] rstd, int rBase, int from, int to);

    /**
     * The input gradient of {@link #layerNormRows} for rows [from, to), from the saved mean and rstd:
     * with e = dOut * w and xhat = (x - mean) * rstd, dX += rstd * (e - mean(e) - xhat * mean(e * xhat)).
     */
    void layerNormRowsBackward(float[] x, int xBase, float[] w, int wOff, float[] mean, int mBase, float[] rstd, int rBase,
                               float[] g, int gBase, float[] gx, int gxBase, int d, int from, int to);

    /**
     * One AdamW step of elements [from, to): w at wOff + j, g at gOff + j, the moments at mOff + j and
     * vOff + j, skipped where trainable[tOff + j] is 0. Each element is updated in float64 and rounded
     * once; the vector loops do the same operations in the same order on float64 lanes (IEEE adds,
     * multiplies, divides and square roots round alike in any lane), so both give the same bits.
     */
    void adamw(float[] w, int wOff, float[] g, int gOff, float[] m1, int mOff, float[] m2, int vOff, float[] trainable, int tOff,
               int from, int to, AdamWConstants c);
}
