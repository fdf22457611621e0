package polygrok.backend.cpuref;

import static polygrok.backend.cpuref.RefTensors.base;
import static polygrok.backend.cpuref.RefTensors.doubles;

import polygrok.tensor.Tensor;

/**
 * Per-parameter Lp sums: L1/L2 norms of named stretches of the parameter block, and the Lp penalty
 * with its gradient. Float64 loops written to be read; see {@link CpuRefBackend}.
 */
final class RefNorms {
    private RefNorms() {
    }

    static void parameterNorms(Tensor params, Tensor offsets, Tensor out) {
        double[] w = doubles(params), o = doubles(out);
        int[] at = polygrok.backend.HeapInts.data(offsets);
        int stretches = out.dim(1), ob = (int) offsets.base(0);
        for (int m = 0; m < params.models(); m++) {
            for (int s = 0; s < stretches; s++) {
                double l1 = 0, l2 = 0;
                for (int i = at[ob + s]; i < at[ob + s + 1]; i++) {
                    double x = w[base(params, m) + i];
                    l1 += Math.abs(x);
                    l2 += x * x;
                }
                o[base(out, m) + 2 * s] = l1;
                o[base(out, m) + 2 * s + 1] = Math.sqrt(l2);
            }
        }
    }

    static void lpPenalty(Tensor params, Tensor trainable, double p, double alpha, Tensor grads, Tensor penalty) {
        double[] w = doubles(params), mask = doubles(trainable), g = doubles(grads), out = doubles(penalty);
        for (int m = 0; m < params.models(); m++) {
            double s = 0;
            for (int j = 0; j < params.perModel(); j++) {
                if (mask[base(trainable, 0) + j] == 0) {
                    continue;
                }
                double x = w[base(params, m) + j], ax = Math.abs(x);
                s += Math.pow(ax, p);
                g[base(grads, m) + j] += alpha * p * Math.pow(ax, p - 1) * Math.signum(x);
            }
            out[base(penalty, m)] = alpha * s;
        }
    }
}
