package polygrok.backend.cpu;

import static polygrok.backend.cpu.CpuContext.b;
import static polygrok.backend.cpu.CpuContext.f;

import polygrok.backend.AdamWSettings;
import polygrok.tensor.Tensor;

/**
 * AdamW and the Lp penalty over whole parameter blocks [M, P]. Each element is updated in double
 * and rounded once; the penalty's sum is taken per fixed chunk and the chunks added in order.
 * Small models of a group run side by side ({@link CpuContext#forModels}).
 */
final class CpuOptimiser {
    private static final int CHUNK = 8192;
    private final CpuContext cx;
    /** Per lane: the penalty's partial sum of each chunk. */
    private final double[][] partial;

    CpuOptimiser(CpuContext cx) {
        this.cx = cx;
        this.partial = new double[cx.pool.size()][0];
    }

    void adamwStep(Tensor params, Tensor grads, Tensor mom1, Tensor mom2, AdamWSettings s) {
        float[] w = f(params), g = f(grads), m1 = f(mom1), m2 = f(mom2);
        float[] lr = f(s.lr()), wd = f(s.weightDecay()), step = f(s.step()), mask = f(s.trainable());
        int per = (int) params.perModel();
        int maskBase = b(s.trainable(), 0);
        double beta1 = s.beta1(), beta2 = s.beta2(), eps = s.eps();
        cx.forModels(params.models(), per * 16L, (m, lane) -> {
            double t = step[b(s.step(), m)] + 1.0;
            double rate = lr[b(s.lr(), m)], decay = wd[b(s.weightDecay(), m)];
            double stepSize = rate / (1 - Math.pow(beta1, t));
            double sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, t));
            int pb = b(params, m), gb = b(grads, m), mb = b(mom1, m), vb = b(mom2, m);
            cx.forRange(lane, per, CHUNK, 16, (from, to, wk) -> {
                for (int j = from; j < to; j++) {
                    if (mask[maskBase + j] == 0) {
                        continue;
                    }
                    double gj = g[gb + j];
                    double wj = w[pb + j];
                    wj -= rate * decay * wj;
                    double mj = beta1 * m1[mb + j] + (1 - beta1) * gj;
                    double vj = beta2 * m2[vb + j] + (1 - beta2) * gj * gj;
                    wj -= stepSize * mj / (Math.sqrt(vj) / sqrtBc2 + eps);
                    w[pb + j] = (float) wj;
                    m1[mb + j] = (float) mj;
                    m2[vb + j] = (float) vj;
                }
            });
            step[b(s.step(), m)] = (float) t;
        });
    }

    /** See {@link polygrok.backend.Backend#gradFilter}: each element in double, rounded once; the window summed oldest first. */
    void gradFilter(Tensor grads, Tensor state, Tensor count, Tensor trainable, double alpha, double lambda, int window) {
        float[] g = f(grads), st = f(state), n = f(count), mask = f(trainable);
        int per = (int) grads.perModel();
        int maskBase = b(trainable, 0);
        cx.forModels(grads.models(), per * (window + 4L), (m, lane) -> {
            long calls = (long) n[b(count, m)];
            int gb = b(grads, m), sb = b(state, m);
            cx.forRange(lane, per, CHUNK, 16, (from, to, wk) -> {
                for (int j = from; j < to; j++) {
                    if (mask[maskBase + j] == 0) {
                        continue;
                    }
                    double gj = g[gb + j];
                    if (window == 0) {
                        double mu = calls == 0 ? gj : alpha * st[sb + j] + (1 - alpha) * gj;
                        st[sb + j] = (float) mu;
                        g[gb + j] = (float) (gj + lambda * mu);
                    } else {
                        st[sb + (int) (calls % window) * per + j] = (float) gj;
                        if (calls + 1 >= window) {
                            double sum = 0;
                            for (int k = 1; k <= window; k++) {
                                sum += st[sb + (int) ((calls + k) % window) * per + j];
                            }
                            g[gb + j] = (float) (gj + lambda * (sum / window));
                        }
                    }
                }
            });
            n[b(count, m)] = calls + 1;
        });
    }

    void lpPenalty(Tensor params, Tensor trainable, double p, double alpha, Tensor grads, Tensor penalty) {
        float[] w = f(params), mask = f(trainable), g = f(grads), out = f(penalty);
        int per = (int) params.perModel();
        int chunks = (per + CHUNK - 1) / CHUNK;
        for (int lane = 0; lane < partial.length; lane++) {
            if (partial[lane].length < chunks) {
                partial[lane] = new double[chunks];
            }
        }
        int maskBase = b(trainable, 0);
        cx.forModels(params.models(), per * 32L, (m, lane) -> {
            double[] part = partial[CpuContext.scratch(lane)];
            int pb = b(params, m), gb = b(grads, m);
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
            out[b(penalty, m)] = (float) (alpha * total);
        });
    }
}
