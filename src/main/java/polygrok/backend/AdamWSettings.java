package polygrok.backend;

import polygrok.tensor.Tensor;

/**
 * Hyper-parameters of an AdamW step that live on the backend so that a captured step can be
 * replayed without the host: per-model learning rate and weight decay, and the per-model step
 * counter the kernel increments itself.
 *
 * @param lr           [M, 1] learning rate of each model
 * @param weightDecay  [M, 1] weight decay of each model
 * @param step         [M, 1] steps taken so far (the update uses step + 1, then stores it)
 * @param trainable    [1, P] 1 where the parameter is updated, 0 where it is frozen (no update, no decay)
 * @param coupledDecay false: AdamW's decoupled decay w -= lr wd w; true: Adam's L2, g + wd w enters the
 *                     moments (torch.optim.Adam's weight_decay)
 * @param warmupSteps  N > 0 scales the lr by min(step / N, 1), step counted before this one (0: none);
 *                     the counter is checkpointed, so a resumed run continues the ramp
 */
public record AdamWSettings(Tensor lr, Tensor weightDecay, Tensor step, Tensor trainable,
                            double beta1, double beta2, double eps, boolean coupledDecay, int warmupSteps) {
    public AdamWSettings(Tensor lr, Tensor weightDecay, Tensor step, Tensor trainable, double beta1, double beta2, double eps) {
        this(lr, weightDecay, step, trainable, beta1, beta2, eps, false, 0);
    }

    /** Whether this step asks for more than plain AdamW (a backend without {@link Backend#hasAdamOptions} refuses it). */
    public boolean hasOptions() {
        return coupledDecay || warmupSteps > 0;
    }

    /** The warm-up factor min(stepsBefore / N, 1), or exactly 1 without warm-up (so the plain step is unchanged). */
    public double warmupFactor(double stepsBefore) {
        return warmupSteps == 0 ? 1 : Math.min(stepsBefore / warmupSteps, 1.0);
    }
}
