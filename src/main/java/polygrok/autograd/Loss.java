package polygrok.autograd;

import polygrok.tensor.Tensor;

/**
 * The result of a cross-entropy (or another loss of its family): the weighted loss of each model
 * and per-example statistics.
 *
 * @param loss       [M, 1] sum over examples of weight * the example's loss
 * @param perExample [M, B, 3] the example's loss, probability of the answer, correct (0/1)
 * @param logits     [M, B, V] the logits it was computed from (valid until its tape is reset), for
 *                   measures of the logits themselves such as softmax collapse
 */
public record Loss(Tensor loss, Tensor perExample, Tensor logits) {
}
