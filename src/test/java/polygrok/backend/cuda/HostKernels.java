package polygrok.backend.cuda;

import java.util.List;
import jcuda.driver.CUdeviceptr;
import org.apache.commons.math3.special.Erf;

/**
 * Host twins of the kernels MatrixOps launches (activation.cu activations, attention.cu core, memory.cu add)
 * and of the GEMM,
 * written from the kernels' contracts, running on a {@link HostHeap}. They let the Java orchestration
 * of linear maps, MLP and attention (operand layouts, transposes, leading dimensions, row subsets,
 * batch strides, scratch) be checked against cpuref without a GPU; the kernels themselves are checked
 * by src/test/cuda/run-host-emulation.sh, by the *KernelsHostTest classes (EmulatedLauncher) and, on a GPU,
 * by the conformance suite (polygrok.backend.conformance).
 */
final class HostKernels implements Launcher, Gemm {
    private final HostHeap heap;
    /** Model count of the launch being emulated (grid y). */
    private int models;

    HostKernels(HostHeap heap) {
        this.heap = heap;
    }

    @Override
    public String name() {
        return "host";
    }

    // ---- GEMM, by its contract ------------------------------------------------------------------

    @Override
    public void run(int rows, int cols, int k, float alpha, Operand a, Operand b, float beta, Operand c, int batch) {
        float[] h = heap.data;
        int pa = HostHeap.index(a.ptr()), pb = HostHeap.index(b.ptr()), pc = HostHeap.index(c.ptr());
        for (int z = 0; z < batch; z++) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    double s = 0;
                    for (int kk = 0; kk < k; kk++) {
                        long ai = pa + z * a.batchStride() + (a.transposed() ? (long) kk * a.ld() + i : (long) i * a.ld() + kk);
                        long bi = pb + z * b.batchStride() + (b.transposed() ? (long) j * b.ld() + kk : (long) kk * b.ld() + j);
                        s += (double) h[(int) ai] * h[(int) bi];
                    }
                    int ci = (int) (pc + z * c.batchStride() + (long) i * c.ld() + j);
                    h[ci] = (float) (beta == 0 ? alpha * s : alpha * s + beta * h[ci]);
                }
            }
        }
    }

    // ---- kernels --------------------------------------------------------------------------------

    @Override
    public void launch(String family, String kernel, Grid grid, KernelArgs args) {
        List<Object> v = args.values();
        models = (int) grid.gridY(); // every kernel twinned here puts the model axis on grid y
        switch (family + "." + kernel) {
            case "activation.activation_forward" -> activation(v, false);
            case "activation.activation_backward" -> activation(v, true);
            case "attention.attention_forward" -> attentionForward(v);
            case "attention.attention_backward" -> attentionBackward(v);
            case "memory.add_f32" -> add(v);
            default -> throw new UnsupportedOperationException("no host twin for " + family + "." + kernel);
        }
    }

    private static int p(List<Object> v, int i) {
        return HostHeap.index((CUdeviceptr) v.get(i));
    }

    private static long l(List<Object> v, int i) {
        return (Long) v.get(i);
    }

    private static int n(List<Object> v, int i) {
        return (Integer) v.get(i);
    }

    private static double value(int act, double x) {
        return act == 0 ? Math.max(x, 0) : 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2)));
    }

    private static double derivative(int act, double x) {
        return act == 0 ? (x > 0 ? 1 : 0)
                : 0.5 * (1 + Erf.erf(x / Math.sqrt(2))) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    /** (act, x, sX, out|dOut, s, [dX, sDX], n, [accumulate]) as in activation.cu. */
    private void activation(List<Object> v, boolean backward) {
        float[] h = heap.data;
        int act = n(v, 0);
        int x = p(v, 1);
        long sX = l(v, 2);
        if (!backward) {
            int out = p(v, 3), count = n(v, 5);
            long sOut = l(v, 4);
            for (int m = 0; m < models; m++) {
                for (int j = 0; j < count; j++) {
                    h[(int) (out + m * sOut + j)] = (float) value(act, h[(int) (x + m * sX + j)]);
                }
            }
            return;
        }
        int g = p(v, 3), dx = p(v, 5), count = n(v, 7);
        long sG = l(v, 4), sDX = l(v, 6);
        boolean accumulate = n(v, 8) == 1;
        for (int m = 0; m < models; m++) {
            for (int j = 0; j < count; j++) {
                int di = (int) (dx + m * sDX + j);
                float d = (float) (derivative(act, h[(int) (x + m * sX + j)]) * h[(int) (g + m * sG + j)]);
                h[di] = accumulate ? h[di] + d : d;
            }
        }
    }

    /** (a, sA, b, sB, out, sOut, n) as in memory.cu: out = a + b. */
    private void add(List<Object> v) {
        float[] h = heap.data;
        int a = p(v, 0), b = p(v, 2), out = p(v, 4), count = n(v, 6);
        long sA = l(v, 1), sB = l(v, 3), sOut = l(v, 5);
        for (int m = 0; m < models; m++) {
            for (int j = 0; j < count; j++) {
                h[(int) (out + m * sOut + j)] = h[(int) (a + m * sA + j)] + h[(int) (b + m * sB + j)];
            }
        }
    }

    private void attentionForward(List<Object> v) {
        float[] h = heap.data;
        int q = p(v, 0), k = p(v, 2), vv = p(v, 4), pat = p(v, 6), z = p(v, 8);
        long sQ = l(v, 1), sK = l(v, 3), sV = l(v, 5), sP = l(v, 7), sZ = l(v, 9);
        int batch = n(v, 10), t = n(v, 11), tq = n(v, 12), heads = n(v, 13), dh = n(v, 14);
        double scale = (Float) v.get(15);
        for (int m = 0; m < models; m++) {
            for (int b = 0; b < batch; b++) {
                for (int hh = 0; hh < heads; hh++) {
                    for (int qi = 0; qi < tq; qi++) {
                        int pos = t - tq + qi;
                        double[] s = new double[t];
                        double mx = Double.NEGATIVE_INFINITY, sum = 0;
                        for (int kj = 0; kj <= pos; kj++) {
                            for (int i = 0; i < dh; i++) {
                                s[kj] += h[(int) (q + m * sQ + ((long) (b * tq + qi) * heads + hh) * dh + i)]
                                        * h[(int) (k + m * sK + ((long) (b * t + kj) * heads + hh) * dh + i)];
                            }
                            s[kj] *= scale;
                            mx = Math.max(mx, s[kj]);
                        }
                        for (int kj = 0; kj <= pos; kj++) {
                            s[kj] = Math.exp(s[kj] - mx);
                            sum += s[kj];
                        }
                        for (int kj = 0; kj < t; kj++) {
                            s[kj] = kj <= pos ? s[kj] / sum : 0;
                            h[(int) (pat + m * sP + ((long) (b * heads + hh) * tq + qi) * t + kj)] = (float) s[kj];
                        }
                        for (int i = 0; i < dh; i++) {
                            double acc = 0;
                            for (int kj = 0; kj <= pos; kj++) {
                                acc += s[kj] * h[(int) (vv + m * sV + ((long) (b * t + kj) * heads + hh) * dh + i)];
                            }
                            h[(int) (z + m * sZ + (long) (b * tq + qi) * heads * dh + hh * dh + i)] = (float) acc;
                        }
                    }
                }
            }
        }
    }

    private void attentionBackward(List<Object> v) {
        float[] h = heap.data;
        int q = p(v, 0), k = p(v, 2), vv = p(v, 4), pat = p(v, 6), dz = p(v, 8), dq = p(v, 10), dk = p(v, 12), dv = p(v, 14);
        long sQ = l(v, 1), sK = l(v, 3), sV = l(v, 5), sP = l(v, 7), sDz = l(v, 9), sDq = l(v, 11), sDk = l(v, 13), sDv = l(v, 15);
        int batch = n(v, 16), t = n(v, 17), tq = n(v, 18), heads = n(v, 19), dh = n(v, 20);
        double scale = (Float) v.get(21);
        int hd = heads * dh;
        for (int m = 0; m < models; m++) {
            for (int b = 0; b < batch; b++) {
                for (int hh = 0; hh < heads; hh++) {
                    for (int kj = 0; kj < t; kj++) {
                        for (int i = 0; i < dh; i++) {
                            h[(int) (dk + m * sDk + ((long) (b * t + kj) * heads + hh) * dh + i)] = 0;
                            h[(int) (dv + m * sDv + ((long) (b * t + kj) * heads + hh) * dh + i)] = 0;
                        }
                    }
                    for (int qi = 0; qi < tq; qi++) {
                        int pos = t - tq + qi;
                        double[] dP = new double[t];
                        double dot = 0;
                        for (int kj = 0; kj <= pos; kj++) {
                            double pr = h[(int) (pat + m * sP + ((long) (b * heads + hh) * tq + qi) * t + kj)];
                            for (int i = 0; i < dh; i++) {
                                double g = h[(int) (dz + m * sDz + (long) (b * tq + qi) * hd + hh * dh + i)];
                                dP[kj] += g * h[(int) (vv + m * sV + ((long) (b * t + kj) * heads + hh) * dh + i)];
                                h[(int) (dv + m * sDv + ((long) (b * t + kj) * heads + hh) * dh + i)] += (float) (pr * g);
                            }
                            dot += pr * dP[kj];
                        }
                        for (int i = 0; i < dh; i++) {
                            h[(int) (dq + m * sDq + ((long) (b * tq + qi) * heads + hh) * dh + i)] = 0;
                        }
                        for (int kj = 0; kj <= pos; kj++) {
                            double pr = h[(int) (pat + m * sP + ((long) (b * heads + hh) * tq + qi) * t + kj)];
                            double dS = pr * (dP[kj] - dot) * scale;
                            for (int i = 0; i < dh; i++) {
                                h[(int) (dq + m * sDq + ((long) (b * tq + qi) * heads + hh) * dh + i)] +=
                                        (float) (dS * h[(int) (k + m * sK + ((long) (b * t + kj) * heads + hh) * dh + i)]);
                                h[(int) (dk + m * sDk + ((long) (b * t + kj) * heads + hh) * dh + i)] +=
                                        (float) (dS * h[(int) (q + m * sQ + ((long) (b * tq + qi) * heads + hh) * dh + i)]);
                            }
                        }
                    }
                }
            }
        }
    }
}
