package polygrok.backend;

import polygrok.tensor.Tensor;

/**
 * What the attention forward keeps for its backward; the caller allocates it, the backend fills it.
 * Tq is the number of query positions: T, or 1 when only the last position is computed.
 *
 * @param q       [M, B, Tq, H, Dh] queries
 * @param k       [M, B, T, H, Dh] keys
 * @param v       [M, B, T, H, Dh] values
 * @param pattern [M, B, H, Tq, T] attention probabilities (query, key); masked entries 0
 * @param z       [M, B, Tq, H * Dh] mixed values, head-major, the input of W_O
 */
public record AttentionSaved(Tensor q, Tensor k, Tensor v, Tensor pattern, Tensor z) {
}
