package polygrok.backend;

import polygrok.tensor.Tensor;

/**
 * Hyper-parameters of an AdamW step that live on the backend so that a captured step can be
 * replayed without the host: per-model learning rate and weight decay, and the per-model step
 * counter the kernel increments itself.
 *
 * @param lr          [M, 1] learning rate of each model
 * @param weightDecay [M, 1] decoupled weight decay of each model
 * @param step        [M, 1] steps taken so far (the update uses step + 1, then stores it)
 * @param trainable   [1, P] 1 where the parameter is updated, 0 where it is frozen (no update, no decay)
 */
public record AdamWSettings(Tensor lr, Tensor weightDecay, Tensor step, Tensor trainable,
                            double beta1, double beta2, double eps) {
}
