package polygrok.backend.cpuref;

import static polygrok.backend.cpuref.RefTensors.base;
import static polygrok.backend.cpuref.RefTensors.doubles;
import static polygrok.backend.cpuref.RefTensors.ints;

import polygrok.backend.LossMode;
import polygrok.backend.OpShapes;
import polygrok.tensor.Tensor;

/**
 * The losses other than the seed's float64 cross-entropy ({@link RefCrossEntropy} keeps that one):
 * StableMax, and either loss in float32. Float32 is emulated here by rounding every intermediate
 * to float ({@link #r}) in the order the fast path computes it: logits, shift z - max, exp or s, the
 * running sum, log, the per-example loss, the weighted total, each gradient term. Float64 loops
 * written to be read; see {@link CpuRefBackend}.
 */
final class RefLossModes {
    private RefLossModes() {
    }

    static void forward(Tensor logits, Tensor labels, Tensor weights, LossMode mode, Tensor perExample, Tensor loss) {
        double[] z = doubles(logits), w = doubles(weights), pe = doubles(perExample), l = doubles(loss);
        int[] y = ints(labels);
        boolean f = mode.float32();
        int batch = logits.dim(1), vocab = logits.dim(2);
        for (int m = 0; m < logits.models(); m++) {
            double total = 0;
            for (int e = 0; e < batch; e++) {
                int row = base(logits, m) + e * vocab;
                int label = y[base(labels, m) + e];
                OpShapes.checkToken(label, vocab, "token");
                int argmax = 0;
                for (int c = 1; c < vocab; c++) {
                    if (z[row + c] > z[row + argmax]) {
                        argmax = c;
                    }
                }
                double loss1;
                if (mode.stablemax()) {
                    double sum = 0;
                    for (int c = 0; c < vocab; c++) {
                        sum = r(f, sum + s(r(f, z[row + c]), f));
                    }
                    loss1 = r(f, r(f, Math.log(sum)) - r(f, Math.log(s(r(f, z[row + label]), f))));
                } else {
                    double max = r(f, z[row + argmax]), sum = 0;
                    for (int c = 0; c < vocab; c++) {
                        sum = r(f, sum + r(f, Math.exp(r(f, r(f, z[row + c]) - max))));
                    }
                    loss1 = r(f, r(f, Math.log(sum)) - r(f, r(f, z[row + label]) - max));
                }
                int o = base(perExample, m) + e * 3;
                pe[o] = loss1;
                pe[o + 1] = r(f, Math.exp(-loss1));
                pe[o + 2] = argmax == label ? 1 : 0;
                total = r(f, total + r(f, w[base(weights, m) + e] * loss1));
            }
            l[base(loss, m)] = total;
        }
    }

    static void backward(Tensor logits, Tensor labels, Tensor weights, LossMode mode, Tensor dLogits) {
        double[] z = doubles(logits), w = doubles(weights), g = doubles(dLogits);
        int[] y = ints(labels);
        boolean f = mode.float32();
        int batch = logits.dim(1), vocab = logits.dim(2);
        for (int m = 0; m < logits.models(); m++) {
            for (int e = 0; e < batch; e++) {
                int row = base(logits, m) + e * vocab, grow = base(dLogits, m) + e * vocab;
                double we = r(f, w[base(weights, m) + e]);
                int label = y[base(labels, m) + e];
                if (mode.stablemax()) {
                    double sum = 0;
                    for (int c = 0; c < vocab; c++) {
                        sum = r(f, sum + s(r(f, z[row + c]), f));
                    }
                    for (int c = 0; c < vocab; c++) {
                        double zc = r(f, z[row + c]);
                        // d/dz_c [log sum_j s(z_j) - log s(z_y)] = s'(z_c) / sum - [c == y] s'(z_y) / s(z_y)
                        double term = r(f, ds(zc, f) / sum);
                        if (c == label) {
                            term = r(f, term - r(f, ds(zc, f) / s(zc, f)));
                        }
                        g[grow + c] = r(f, g[grow + c] + r(f, we * term));
                    }
                } else {
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int c = 0; c < vocab; c++) {
                        max = Math.max(max, r(f, z[row + c]));
                    }
                    for (int c = 0; c < vocab; c++) {
                        sum = r(f, sum + r(f, Math.exp(r(f, r(f, z[row + c]) - max))));
                    }
                    for (int c = 0; c < vocab; c++) {
                        double softmax = r(f, r(f, Math.exp(r(f, r(f, z[row + c]) - max))) / sum);
                        g[grow + c] = r(f, g[grow + c] + r(f, we * r(f, softmax - (c == label ? 1 : 0))));
                    }
                }
            }
        }
    }

    /** StableMax's s(x): x + 1 for x >= 0, 1 / (1 - x) below (rounded to float in float32 mode). */
    static double s(double x, boolean f) {
        return x >= 0 ? r(f, x + 1) : r(f, 1 / r(f, 1 - x));
    }

    /** s'(x): 1 for x >= 0, 1 / (1 - x)^2 below. */
    static double ds(double x, boolean f) {
        if (x >= 0) {
            return 1;
        }
        double d = r(f, 1 - x);
        return r(f, 1 / r(f, d * d));
    }

    /** x rounded to float32 when {@code f}, else x. */
    static double r(boolean f, double x) {
        return f ? (double) (float) x : x;
    }
}
