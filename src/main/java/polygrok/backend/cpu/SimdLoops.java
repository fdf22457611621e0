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
}
