package polygrok.backend.cpu;

/**
 * The elementwise loops written for SIMD, because the JIT does not vectorise them on its own: a
 * data-dependent select compiles to a branch, which mispredicts on every other ReLU input; an add
 * into a row found through a token keeps its bounds checks; Math.exp is a call per element where the
 * Vector API computes eight at once. {@link ScalarLoops} is the plain-Java twin.
 */
interface SimdLoops {

    /** out[oOff + i] = x[xOff + i] > 0 ? x[xOff + i] : 0 for i < n (NaN gives 0, as in cpuref). */
    void relu(float[] x, int xOff, float[] out, int oOff, int n);

    /** d[dOff + i] = pre[pOff + i] > 0 ? d[dOff + i] : 0 for i < n: the ReLU backward, in place. */
    void reluMask(float[] pre, int pOff, float[] d, int dOff, int n);

    /** dst[dOff + i] += src[sOff + i] for i < n. */
    void addInto(float[] src, int sOff, float[] dst, int dOff, int n);

    /**
     * out[i] = exp((double) z[zOff + i] - max) for i < n, and their sum in float64 (lane sums first on
     * the Vector API: a fixed order, so the same bits every run). The softmax of a row of logits.
     */
    double expShifted(float[] z, int zOff, int n, float max, double[] out);
}
