package polygrok.backend.cpu;

/** {@link SimdLoops} in plain Java, for JVMs without the Vector API module. */
final class ScalarLoops implements SimdLoops {

    @Override
    public void relu(float[] x, int xOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            out[oOff + i] = v > 0 ? v : 0f;
        }
    }

    @Override
    public void reluMask(float[] pre, int pOff, float[] d, int dOff, int n) {
        for (int i = 0; i < n; i++) {
            if (!(pre[pOff + i] > 0)) {
                d[dOff + i] = 0f;
            }
        }
    }

    @Override
    public void reluGradAdd(float[] x, int xOff, float[] g, int gOff, float[] gx, int gxOff, int n) {
        for (int i = 0; i < n; i++) {
            gx[gxOff + i] += (x[xOff + i] > 0 ? 1f : 0f) * g[gOff + i];
        }
    }

    @Override
    public void gelu(float[] x, int xOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) {
            out[oOff + i] = FloatGelu.value(x[xOff + i]);
        }
    }

    @Override
    public void geluGrad(float[] pre, int pOff, float[] d, int dOff, int n) {
        for (int i = 0; i < n; i++) {
            d[dOff + i] *= FloatGelu.derivative(pre[pOff + i]);
        }
    }

    @Override
    public void geluGradAdd(float[] x, int xOff, float[] g, int gOff, float[] gx, int gxOff, int n) {
        for (int i = 0; i < n; i++) {
            gx[gxOff + i] += FloatGelu.derivative(x[xOff + i]) * g[gOff + i];
        }
    }

    @Override
    public void addInto(float[] src, int sOff, float[] dst, int dOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dOff + i] += src[sOff + i];
        }
    }

    @Override
    public double expShifted(float[] z, int zOff, int n, float max, double[] out) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            out[i] = Math.exp((double) z[zOff + i] - max);
            sum += out[i];
        }
        return sum;
    }
}
