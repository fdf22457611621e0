package polygrok.backend.cpu;

import static polygrok.backend.cpu.CpuContext.base;
import static polygrok.backend.cpu.CpuContext.floats;
import static polygrok.backend.cpu.CpuContext.intData;

import polygrok.backend.LossMode;
import polygrok.backend.OpShapes;
import polygrok.tensor.Tensor;

/**
 * The losses other than the seed's cross-entropy ({@link CpuCrossEntropy}): StableMax in float64,
 * and either loss in float32 arithmetic. The float32 paths keep every intermediate in a float (Java
 * rounds each float operation to float32; exp and log are Math's, rounded to float), summing a row
 * in class order, so they match cpuref's rounding emulation bit for bit and a float32 PyTorch run
 * up to its exp's last bit and its summation order. Rows run in parallel; each row is one worker's.
 */
final class CpuLossModes {
    private final CpuContext cx;
    /** Per lane: [B] loss of each example, summed in order after the parallel rows. */
    private final double[][] rowLoss;

    CpuLossModes(CpuContext cx) {
        this.cx = cx;
        this.rowLoss = new double[cx.pool.size()][0];
    }

    void forward(Tensor logits, Tensor labels, Tensor weights, LossMode mode, Tensor perExample, Tensor loss) {
        float[] z = floats(logits), w = floats(weights), pe = floats(perExample), l = floats(loss);
        int[] y = intData(labels);
        int batch = logits.dim(1), vocab = logits.dim(2);
        for (int lane = 0; lane < rowLoss.length; lane++) {
            if (rowLoss[lane].length < batch) {
                rowLoss[lane] = new double[batch];
            }
        }
        cx.forModels(logits.models(), (long) batch * vocab * 8, (m, lane) -> {
            double[] c = rowLoss[CpuContext.scratch(lane)];
            int zb = base(logits, m), yb = base(labels, m), peb = base(perExample, m);
            cx.forRange(lane, batch, 128, vocab * 8L, (from, to, wk) -> {
                for (int e = from; e < to; e++) {
                    int row = zb + e * vocab, label = y[yb + e];
                    OpShapes.checkToken(label, vocab, "crossEntropy: label");
                    int argmax = 0;
                    for (int j = 1; j < vocab; j++) {
                        if (z[row + j] > z[row + argmax]) {
                            argmax = j;
                        }
                    }
                    double x = mode.float32() ? lossF32(z, row, vocab, label, argmax, mode.stablemax()) : stablemaxF64(z, row, vocab, label);
                    c[e] = x;
                    int o = peb + e * 3;
                    pe[o] = (float) x;
                    pe[o + 1] = mode.float32() ? (float) Math.exp(-(float) x) : (float) Math.exp(-x);
                    pe[o + 2] = argmax == label ? 1f : 0f;
                }
            });
            int wb = base(weights, m);
            if (mode.float32()) {
                float total = 0;
                for (int e = 0; e < batch; e++) {
                    total += w[wb + e] * (float) c[e];
                }
                l[base(loss, m)] = total;
            } else {
                double total = 0;
                for (int e = 0; e < batch; e++) {
                    total += (double) w[wb + e] * c[e];
                }
                l[base(loss, m)] = (float) total;
            }
        });
    }

    void backward(Tensor logits, Tensor labels, Tensor weights, LossMode mode, Tensor dLogits) {
        float[] z = floats(logits), w = floats(weights), g = floats(dLogits);
        int[] y = intData(labels);
        int batch = logits.dim(1), vocab = logits.dim(2);
        cx.forModels(logits.models(), (long) batch * vocab * 8, (m, lane) -> {
            int zb = base(logits, m), yb = base(labels, m), wb = base(weights, m), gb = base(dLogits, m);
            cx.forRange(lane, batch, 128, vocab * 8L, (from, to, wk) -> {
                for (int e = from; e < to; e++) {
                    int row = zb + e * vocab, grow = gb + e * vocab, label = y[yb + e];
                    if (mode.float32()) {
                        gradF32(z, row, vocab, label, w[wb + e], mode.stablemax(), g, grow);
                    } else {
                        stablemaxGradF64(z, row, vocab, label, w[wb + e], g, grow);
                    }
                }
            });
        });
    }

    /** StableMax in float64: log sum_j s(z_j) - log s(z_y). */
    private static double stablemaxF64(float[] z, int row, int vocab, int label) {
        double sum = 0;
        for (int j = 0; j < vocab; j++) {
            sum += s(z[row + j]);
        }
        return Math.log(sum) - Math.log(s(z[row + label]));
    }

    private static void stablemaxGradF64(float[] z, int row, int vocab, int label, double we, float[] g, int grow) {
        double sum = 0;
        for (int j = 0; j < vocab; j++) {
            sum += s(z[row + j]);
        }
        for (int j = 0; j < vocab; j++) {
            double zj = z[row + j], term = ds(zj) / sum;
            if (j == label) {
                term -= ds(zj) / s(zj);
            }
            g[grow + j] += (float) (we * term);
        }
    }

    /** Either loss with every intermediate a float: softmax's shift z - max, exp, sum, log; or s, sum, log. */
    private static float lossF32(float[] z, int row, int vocab, int label, int argmax, boolean stablemax) {
        float sum = 0;
        if (stablemax) {
            for (int j = 0; j < vocab; j++) {
                sum += sF32(z[row + j]);
            }
            return (float) Math.log(sum) - (float) Math.log(sF32(z[row + label]));
        }
        float max = z[row + argmax];
        for (int j = 0; j < vocab; j++) {
            sum += (float) Math.exp(z[row + j] - max);
        }
        return (float) Math.log(sum) - (z[row + label] - max);
    }

    private static void gradF32(float[] z, int row, int vocab, int label, float we, boolean stablemax, float[] g, int grow) {
        float sum = 0;
        if (stablemax) {
            for (int j = 0; j < vocab; j++) {
                sum += sF32(z[row + j]);
            }
            for (int j = 0; j < vocab; j++) {
                float zj = z[row + j], term = dsF32(zj) / sum;
                if (j == label) {
                    term -= dsF32(zj) / sF32(zj);
                }
                g[grow + j] += we * term;
            }
            return;
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < vocab; j++) {
            max = Math.max(max, z[row + j]);
        }
        for (int j = 0; j < vocab; j++) {
            sum += (float) Math.exp(z[row + j] - max);
        }
        for (int j = 0; j < vocab; j++) {
            float softmax = (float) Math.exp(z[row + j] - max) / sum;
            g[grow + j] += we * (softmax - (j == label ? 1f : 0f));
        }
    }

    /** StableMax's s(x) = x + 1 for x >= 0, 1 / (1 - x) below, and its derivative 1 or 1 / (1 - x)^2. */
    private static double s(double x) {
        return x >= 0 ? x + 1 : 1 / (1 - x);
    }

    private static double ds(double x) {
        return x >= 0 ? 1 : 1 / ((1 - x) * (1 - x));
    }

    private static float sF32(float x) {
        return x >= 0 ? x + 1 : 1 / (1 - x);
    }

    private static float dsF32(float x) {
        if (x >= 0) {
            return 1;
        }
        float d = 1 - x;
        return 1 / (d * d);
    }
}
