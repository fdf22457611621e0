package polygrok.backend.cpu;

import static polygrok.backend.cpu.CpuContext.base;
import static polygrok.backend.cpu.CpuContext.floats;
import static polygrok.backend.cpu.CpuContext.intData;

import polygrok.tensor.Tensor;

/**
 * Per-parameter Lp sums over whole blocks [M, P]: the L1/L2 norms of named stretches (for the
 * metrics) and the Lp penalty with its gradient. Sums are in double in a fixed order (the penalty's
 * per fixed chunk, the chunks added in order), so they do not depend on the thread count.
 */
final class CpuNorms {
    private static final int CHUNK = 8192;
    private final CpuContext cx;
    /** Per lane: the penalty's partial sum of each chunk. */
    private final double[][] partial;

    CpuNorms(CpuContext cx) {
        this.cx = cx;
        this.partial = new double[cx.pool.size()][0];
    }

    void parameterNorms(Tensor params, Tensor offsets, Tensor out) {
        float[] w = floats(params), o = floats(out);
        int[] at = intData(offsets);
        int stretches = out.dim(1), ob = (int) offsets.base(0);
        // sums in double, in index order: the metrics' norms do not depend on the thread count
        cx.forModels(params.models(), params.perModel(), (m, lane) -> {
            for (int s = 0; s < stretches; s++) {
                double l1 = 0, l2 = 0;
                for (int i = at[ob + s]; i < at[ob + s + 1]; i++) {
                    double x = w[base(params, m) + i];
                    l1 += Math.abs(x);
                    l2 += x * x;
                }
                o[base(out, m) + 2 * s] = (float) l1;
                o[base(out, m) + 2 * s + 1] = (float) Math.sqrt(l2);
            }
        });
    }

    void lpPenalty(Tensor params, Tensor trainable, double p, double alpha, Tensor grads, Tensor penalty) {
        float[] w = floats(params), mask = floats(trainable), g = floats(grads), out = floats(penalty);
        int per = (int) params.perModel();
        int chunks = (per + CHUNK - 1) / CHUNK;
        for (int lane = 0; lane < partial.length; lane++) {
            if (partial[lane].length < chunks) {
                partial[lane] = new double[chunks];
            }
        }
        int maskBase = base(trainable, 0);
        cx.forModels(params.models(), per * 32L, (m, lane) -> {
            double[] part = partial[CpuContext.scratch(lane)];
            int pb = base(params, m), gb = base(grads, m);
            WorkerPool.Body chunk = (c, wk) -> {
                int from = c * CHUNK, to = Math.min(per, from + CHUNK);
                double s = 0;
                for (int j = from; j < to; j++) {
                    if (mask[maskBase + j] == 0) {
                        continue;
                    }
                    double x = w[pb + j], ax = Math.abs(x);
                    s += Math.pow(ax, p);
                    g[gb + j] += (float) (alpha * p * Math.pow(ax, p - 1) * Math.signum(x));
                }
                part[c] = s;
            };
            if (lane == CpuContext.POOL) {
                cx.pool.parallelFor(chunks, chunk);
            } else {
                for (int c = 0; c < chunks; c++) {
                    chunk.run(c, lane);
                }
            }
            double total = 0;
            for (int c = 0; c < chunks; c++) {
                total += part[c];
            }
            out[base(penalty, m)] = (float) (alpha * total);
        });
    }
}
