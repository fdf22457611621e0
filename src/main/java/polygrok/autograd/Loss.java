package polygrok.autograd;

import polygrok.tensor.Tensor;

/**
 * The result of a cross-entropy: the weighted loss of each model and per-example statistics.
 *
 * @param loss       [M, 1] sum over examples of weight * cross-entropy
 * @param perExample [M, B, 3] cross-entropy, probability of the answer, correct (0/1)
 */
public record Loss(Tensor loss, Tensor perExample) {
}
