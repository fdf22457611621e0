package polygrok.backend.cpuref;

import static polygrok.backend.cpuref.RefTensors.base;
import static polygrok.backend.cpuref.RefTensors.doubles;

import polygrok.tensor.Tensor;

/**
 * Gradient filters applied before AdamW (Grokfast): the EMA of the gradients (window 0) or the
 * mean of the last W, added back times lambda. Float64 loops written to be read; see {@link
 * CpuRefBackend}.
 */
final class RefGradFilter {
    private RefGradFilter() {
    }

    static void apply(Tensor grads, Tensor state, Tensor count, Tensor trainable, double alpha, double lambda, int window) {
        double[] g = doubles(grads), st = doubles(state), n = doubles(count), mask = doubles(trainable);
        int per = (int) grads.perModel();
        for (int m = 0; m < grads.models(); m++) {
            long calls = (long) n[base(count, m)];
            int gb = base(grads, m), sb = base(state, m), mb = base(trainable, 0);
            for (int j = 0; j < per; j++) {
                if (mask[mb + j] == 0) {
                    continue;
                }
                double gj = g[gb + j];
                if (window == 0) {
                    double mu = calls == 0 ? gj : alpha * st[sb + j] + (1 - alpha) * gj;
                    st[sb + j] = mu;
                    g[gb + j] = gj + lambda * mu;
                } else {
                    st[sb + (int) (calls % window) * per + j] = gj;
                    if (calls + 1 >= window) {
                        double sum = 0;
                        for (int k = 1; k <= window; k++) { // oldest first: the slot after this one, wrapping around
                            sum += st[sb + (int) ((calls + k) % window) * per + j];
                        }
                        g[gb + j] = gj + lambda * (sum / window);
                    }
                }
            }
            n[base(count, m)] = calls + 1;
        }
    }
}
