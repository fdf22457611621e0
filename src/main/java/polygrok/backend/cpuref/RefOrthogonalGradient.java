package polygrok.backend.cpuref;

import static polygrok.backend.cpuref.RefTensors.base;
import static polygrok.backend.cpuref.RefTensors.doubles;

import polygrok.tensor.Tensor;

/**
 * ⊥Grad (Prieto et al. 2025): each parameter's gradient without its component along the weights,
 * rescaled to its old norm, so the step cannot grow the weights along themselves (the naive loss
 * minimisation direction that ends in softmax collapse). Float64 loops written to be read; see
 * {@link CpuRefBackend} and {@link polygrok.backend.Backend#orthogonalGradient}.
 */
final class RefOrthogonalGradient {
    private RefOrthogonalGradient() {
    }

    static void apply(Tensor params, Tensor grads, Tensor offsets, Tensor trainable) {
        double[] w = doubles(params), g = doubles(grads), mask = doubles(trainable);
        int[] at = polygrok.backend.HeapInts.data(offsets);
        int stretches = offsets.dim(-1) - 1, ob = (int) offsets.base(0), mb = base(trainable, 0);
        for (int m = 0; m < params.models(); m++) {
            int pb = base(params, m), gb = base(grads, m);
            for (int s = 0; s < stretches; s++) {
                int from = at[ob + s], to = at[ob + s + 1];
                double ww = 0, wg = 0, gg = 0;
                for (int i = from; i < to; i++) {
                    if (mask[mb + i] != 0) {
                        ww += w[pb + i] * w[pb + i];
                        wg += w[pb + i] * g[gb + i];
                        gg += g[gb + i] * g[gb + i];
                    }
                }
                if (ww == 0) {
                    continue; // no direction to remove
                }
                double c = wg / ww, pp = 0;
                for (int i = from; i < to; i++) {
                    if (mask[mb + i] != 0) {
                        double perp = g[gb + i] - c * w[pb + i];
                        pp += perp * perp;
                    }
                }
                if (pp == 0) {
                    continue; // the gradient lies along the weights: nothing would be left to rescale
                }
                double scale = Math.sqrt(gg) / Math.sqrt(pp);
                for (int i = from; i < to; i++) {
                    if (mask[mb + i] != 0) {
                        g[gb + i] = (g[gb + i] - c * w[pb + i]) * scale;
                    }
                }
            }
        }
    }
}
