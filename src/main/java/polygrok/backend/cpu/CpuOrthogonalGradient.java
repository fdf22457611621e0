package polygrok.backend.cpu;

import static polygrok.backend.cpu.CpuContext.base;
import static polygrok.backend.cpu.CpuContext.floats;
import static polygrok.backend.cpu.CpuContext.intData;

import polygrok.tensor.Tensor;

/**
 * ⊥Grad over whole blocks [M, P]: per named parameter, the gradient without its component along the
 * weights, rescaled to its old norm. The dot products are float64 sums in index order within one
 * lane (models run side by side, a parameter's sums never split), so the bits do not depend on the
 * thread count; each new gradient is computed in double and rounded once.
 */
final class CpuOrthogonalGradient {
    private final CpuContext cx;

    CpuOrthogonalGradient(CpuContext cx) {
        this.cx = cx;
    }

    /** See {@link polygrok.backend.Backend#orthogonalGradient}. */
    void apply(Tensor params, Tensor grads, Tensor offsets, Tensor trainable) {
        float[] w = floats(params), g = floats(grads), mask = floats(trainable);
        int[] at = intData(offsets);
        int stretches = offsets.dim(-1) - 1, ob = (int) offsets.base(0), mb = base(trainable, 0);
        cx.forModels(params.models(), params.perModel() * 4L, (m, lane) -> {
            int pb = base(params, m), gb = base(grads, m);
            for (int s = 0; s < stretches; s++) {
                int from = at[ob + s], to = at[ob + s + 1];
                double ww = 0, wg = 0, gg = 0;
                for (int i = from; i < to; i++) {
                    if (mask[mb + i] != 0) {
                        double wi = w[pb + i], gi = g[gb + i];
                        ww += wi * wi;
                        wg += wi * gi;
                        gg += gi * gi;
                    }
                }
                if (ww == 0) {
                    continue;
                }
                double c = wg / ww, pp = 0;
                for (int i = from; i < to; i++) {
                    if (mask[mb + i] != 0) {
                        double perp = g[gb + i] - c * w[pb + i];
                        pp += perp * perp;
                    }
                }
                if (pp == 0) {
                    continue;
                }
                double scale = Math.sqrt(gg) / Math.sqrt(pp);
                for (int i = from; i < to; i++) {
                    if (mask[mb + i] != 0) {
                        g[gb + i] = (float) ((g[gb + i] - c * w[pb + i]) * scale);
                    }
                }
            }
        });
    }
}
