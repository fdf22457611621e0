package polygrok.backend.cpuref;

import static polygrok.backend.cpuref.RefTensors.base;
import static polygrok.backend.cpuref.RefTensors.doubles;
import static polygrok.backend.cpuref.RefTensors.ints;

import polygrok.backend.OpShapes;
import polygrok.tensor.Tensor;

/**
 * Cross-entropy over the vocabulary with per-example weights: the weighted sum per model, and per
 * example its loss, the probability of the answer and whether the argmax is right. Float64 loops
 * written to be read; see {@link CpuRefBackend}.
 */
final class RefCrossEntropy {
    private RefCrossEntropy() {
    }

    static void forward(Tensor logits, Tensor labels, Tensor weights, Tensor perExample, Tensor loss) {
        double[] z = doubles(logits), w = doubles(weights), pe = doubles(perExample), l = doubles(loss);
        int[] y = ints(labels);
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
                double max = z[row + argmax], sum = 0;
                for (int c = 0; c < vocab; c++) {
                    sum += Math.exp(z[row + c] - max);
                }
                double logSumExp = max + Math.log(sum);
                double ce = logSumExp - z[row + label];
                int o = base(perExample, m) + e * 3;
                pe[o] = ce;
                pe[o + 1] = Math.exp(-ce);
                pe[o + 2] = argmax == label ? 1 : 0;
                total += w[base(weights, m) + e] * ce;
            }
            l[base(loss, m)] = total;
        }
    }

    static void backward(Tensor logits, Tensor labels, Tensor weights, Tensor dLogits) {
        double[] z = doubles(logits), w = doubles(weights), g = doubles(dLogits);
        int[] y = ints(labels);
        int batch = logits.dim(1), vocab = logits.dim(2);
        for (int m = 0; m < logits.models(); m++) {
            for (int e = 0; e < batch; e++) {
                int row = base(logits, m) + e * vocab, grow = base(dLogits, m) + e * vocab;
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int c = 0; c < vocab; c++) {
                    max = Math.max(max, z[row + c]);
                }
                for (int c = 0; c < vocab; c++) {
                    sum += Math.exp(z[row + c] - max);
                }
                double we = w[base(weights, m) + e];
                int label = y[base(labels, m) + e];
                for (int c = 0; c < vocab; c++) {
                    double softmax = Math.exp(z[row + c] - max) / sum;
                    g[grow + c] += we * (softmax - (c == label ? 1 : 0));
                }
            }
        }
    }
}
