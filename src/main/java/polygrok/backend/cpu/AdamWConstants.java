package polygrok.backend.cpu;

/**
 * The per-model numbers of one AdamW (or Adam) step that every element shares, in float64.
 *
 * @param rate     the learning rate after warm-up
 * @param decay    the weight decay
 * @param coupled  Adam's L2 (the decay enters the moments) instead of AdamW's decoupled decay
 * @param beta1    first-moment decay
 * @param beta2    second-moment decay
 * @param stepSize rate / (1 - beta1^t)
 * @param sqrtBc2  sqrt(1 - beta2^t)
 * @param eps      added to the denominator
 */
record AdamWConstants(double rate, double decay, boolean coupled, double beta1, double beta2, double stepSize,
                      double sqrtBc2, double eps) {
}
