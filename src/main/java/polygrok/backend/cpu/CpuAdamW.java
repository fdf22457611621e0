package polygrok.backend.cpu;

import static polygrok.backend.cpu.CpuContext.base;
import static polygrok.backend.cpu.CpuContext.floats;

import polygrok.backend.AdamWSettings;
import polygrok.tensor.Tensor;

/**
 * AdamW over whole parameter blocks [M, P] (or Adam with coupled L2, and an lr warm-up: see
 * {@link AdamWSettings}). Each element is updated in double and rounded once ({@link SimdLoops#adamw}).
 * Small models of a group run side by side ({@link CpuContext#forModels}).
 */
final class CpuAdamW {
    private static final int CHUNK = 8192;
    private final CpuContext cx;

    CpuAdamW(CpuContext cx) {
        this.cx = cx;
    }

    void step(Tensor params, Tensor grads, Tensor mom1, Tensor mom2, AdamWSettings s) {
        float[] w = floats(params), g = floats(grads), m1 = floats(mom1), m2 = floats(mom2);
        float[] lr = floats(s.lr()), wd = floats(s.weightDecay()), step = floats(s.step()), mask = floats(s.trainable());
        int per = (int) params.perModel();
        int maskBase = base(s.trainable(), 0);
        double beta1 = s.beta1(), beta2 = s.beta2(), eps = s.eps();
        boolean coupled = s.coupledDecay();
        cx.forModels(params.models(), per * 16L, (m, lane) -> {
            double t = step[base(s.step(), m)] + 1.0;
            double rate = lr[base(s.lr(), m)] * s.warmupFactor(t - 1), decay = wd[base(s.weightDecay(), m)];
            double stepSize = rate / (1 - Math.pow(beta1, t));
            double sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, t));
            int pb = base(params, m), gb = base(grads, m), mb = base(mom1, m), vb = base(mom2, m);
            AdamWConstants c = new AdamWConstants(rate, decay, coupled, beta1, beta2, stepSize, sqrtBc2, eps);
            cx.forRange(lane, per, CHUNK, 16, (from, to, wk) -> cx.loops.adamw(w, pb, g, gb, m1, mb, m2, vb, mask, maskBase, from, to, c));
            step[base(s.step(), m)] = (float) t;
        });
    }
}
