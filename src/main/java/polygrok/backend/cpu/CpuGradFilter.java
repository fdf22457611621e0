package polygrok.backend.cpu;

import static polygrok.backend.cpu.CpuContext.base;
import static polygrok.backend.cpu.CpuContext.floats;

import polygrok.tensor.Tensor;

/**
 * Gradient filters before AdamW (Grokfast), over whole gradient blocks [M, P]: the EMA of the
 * gradients or the mean of the last W, added back times lambda. Each element in double, rounded
 * once; the window is summed oldest first, so the bits do not depend on the thread count.
 */
final class CpuGradFilter {
    private static final int CHUNK = 8192;
    private final CpuContext cx;

    CpuGradFilter(CpuContext cx) {
        this.cx = cx;
    }

    /** See {@link polygrok.backend.Backend#gradFilter}. */
    void apply(Tensor grads, Tensor state, Tensor count, Tensor trainable, double alpha, double lambda, int window) {
        float[] g = floats(grads), st = floats(state), n = floats(count), mask = floats(trainable);
        int per = (int) grads.perModel();
        int maskBase = base(trainable, 0);
        cx.forModels(grads.models(), per * (window + 4L), (m, lane) -> {
            long calls = (long) n[base(count, m)];
            int gb = base(grads, m), sb = base(state, m);
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
            n[base(count, m)] = calls + 1;
        });
    }
}
