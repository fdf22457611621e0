package polygrok.backend.cpu;

import static polygrok.backend.cpu.CpuContext.base;
import static polygrok.backend.cpu.CpuContext.floats;
import static polygrok.backend.cpu.CpuContext.intData;

import polygrok.backend.OpShapes;
import polygrok.tensor.Tensor;

/**
 * Log-softmax cross-entropy on float32 logits, accumulated in float64 (as the seed does).
 * Examples run in parallel (or, for a group of small models, whole models side by side); the
 * weighted loss is summed over examples in order afterwards.
 */
final class CpuCrossEntropy {
    private final CpuContext cx;
    /** Per lane: [B] float64 cross-entropy of each example, before rounding into perExample. */
    private final double[][] ce;
    /** Per worker: exp(logit - max) of one row (the backward reads each exp once more). */
    private final double[][] exps;

    CpuCrossEntropy(CpuContext cx) {
        this.cx = cx;
        this.exps = new double[cx.pool.size()][0];
        this.ce = new double[cx.pool.size()][0];
    }

    void forward(Tensor logits, Tensor labels, Tensor weights, Tensor perExample, Tensor loss) {
        float[] zl = floats(logits), w = floats(weights), pe = floats(perExample), l = floats(loss);
        int[] y = intData(labels);
        int batch = logits.dim(1), vocab = logits.dim(2);
        growExps(vocab);
        for (int lane = 0; lane < ce.length; lane++) {
            if (ce[lane].length < batch) {
                ce[lane] = new double[batch];
            }
        }
        cx.forModels(logits.models(), (long) batch * vocab * 8, (m, lane) -> {
            double[] c = ce[CpuContext.scratch(lane)];
            int zb = base(logits, m), yb = base(labels, m), peb = base(perExample, m);
            cx.forRange(lane, batch, 128, vocab * 8L, (from, to, wk) -> {
                for (int e = from; e < to; e++) {
                    int row = zb + e * vocab;
                    int label = y[yb + e];
                    OpShapes.checkToken(label, vocab, "crossEntropy: label");
                    int argmax = 0;
                    float max = zl[row];
                    for (int j = 1; j < vocab; j++) {
                        if (zl[row + j] > max) {
                            max = zl[row + j];
                            argmax = j;
                        }
                    }
                    double sum = cx.loops.expShifted(zl, row, vocab, max, exps[wk]);
                    double x = max + Math.log(sum) - zl[row + label];
                    c[e] = x;
                    int o = peb + e * 3;
                    pe[o] = (float) x;
                    pe[o + 1] = (float) Math.exp(-x);
                    pe[o + 2] = argmax == label ? 1f : 0f;
                }
            });
            double total = 0;
            int wb = base(weights, m);
            for (int e = 0; e < batch; e++) {
                total += (double) w[wb + e] * c[e];
            }
            l[base(loss, m)] = (float) total;
        });
    }

    void backward(Tensor logits, Tensor labels, Tensor weights, Tensor dLogits) {
        float[] zl = floats(logits), w = floats(weights), g = floats(dLogits);
        int[] y = intData(labels);
        int batch = logits.dim(1), vocab = logits.dim(2);
        growExps(vocab);
        cx.forModels(logits.models(), (long) batch * vocab * 8, (m, lane) -> {
            int zb = base(logits, m), yb = base(labels, m), wb = base(weights, m), gb = base(dLogits, m);
            cx.forRange(lane, batch, 128, vocab * 8L, (from, to, wk) -> {
                for (int e = from; e < to; e++) {
                    int row = zb + e * vocab, grow = gb + e * vocab;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < vocab; j++) {
                        max = Math.max(max, zl[row + j]);
                    }
                    double[] ex = exps[wk];
                    double sum = cx.loops.expShifted(zl, row, vocab, max, ex);
                    double scale = w[wb + e] / sum;
                    int label = y[yb + e];
                    for (int j = 0; j < vocab; j++) {
                        g[grow + j] += (float) (scale * ex[j]);
                    }
                    g[grow + label] -= w[wb + e];
                }
            });
        });
    }

    /** Every worker's row buffer holds at least {@code vocab} doubles (buffers only grow). */
    private void growExps(int vocab) {
        for (int w = 0; w < exps.length; w++) {
            if (exps[w].length < vocab) {
                exps[w] = new double[vocab];
            }
        }
    }
}
