package polygrok.backend.cpuref;

import static polygrok.backend.cpuref.RefTensors.base;
import static polygrok.backend.cpuref.RefTensors.doubles;

import polygrok.backend.AdamWSettings;
import polygrok.tensor.Tensor;

/**
 * AdamW with decoupled weight decay, per-model learning rate, decay and step; a 0 in the trainable
 * mask means no update and no decay. With {@code coupledDecay}, Adam's L2 instead (g + wd w enters
 * the moments); with {@code warmupSteps}, the lr ramps up over the first steps. Float64 loops written
 * to be read; see {@link CpuRefBackend}.
 */
final class RefAdamW {
    private RefAdamW() {
    }

    static void step(Tensor params, Tensor grads, Tensor mom1, Tensor mom2, AdamWSettings s) {
        double[] w = doubles(params), g = doubles(grads), m1 = doubles(mom1), m2 = doubles(mom2);
        double[] lr = doubles(s.lr()), wd = doubles(s.weightDecay()), step = doubles(s.step()), mask = doubles(s.trainable());
        for (int m = 0; m < params.models(); m++) {
            double t = step[base(s.step(), m)] + 1;
            double rate = lr[base(s.lr(), m)] * s.warmupFactor(t - 1), decay = wd[base(s.weightDecay(), m)];
            double bc1 = 1 - Math.pow(s.beta1(), t), bc2 = 1 - Math.pow(s.beta2(), t);
            for (int j = 0; j < params.perModel(); j++) {
                if (mask[base(s.trainable(), 0) + j] == 0) {
                    continue;
                }
                int pi = base(params, m) + j, gi = base(grads, m) + j, mi = base(mom1, m) + j, vi = base(mom2, m) + j;
                double gj = g[gi];
                if (s.coupledDecay()) {
                    gj += decay * w[pi];
                } else {
                    w[pi] -= rate * decay * w[pi];
                }
                m1[mi] = s.beta1() * m1[mi] + (1 - s.beta1()) * gj;
                m2[vi] = s.beta2() * m2[vi] + (1 - s.beta2()) * gj * gj;
                double denom = Math.sqrt(m2[vi]) / Math.sqrt(bc2) + s.eps();
                w[pi] -= rate / bc1 * m1[mi] / denom;
            }
            step[base(s.step(), m)] = t;
        }
    }
}
