package polygrok.model;

import polygrok.tensor.Tensor;

/**
 * Examples of M models on the backend, one row per example.
 *
 * @param tokens  I32 [M, B, n_ctx]
 * @param labels  I32 [M, B]
 * @param weights [M, B] per-example loss weights (1/B, or 1/B_task for a sum of task means)
 */
public record Batch(Tensor tokens, Tensor labels, Tensor weights) {
    public int size() {
        return tokens.dim(1);
    }
}
