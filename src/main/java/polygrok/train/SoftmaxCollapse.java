package polygrok.train;

/**
 * Softmax collapse as Prieto et al. ("Grokking at the Edge of Numerical Stability", ICLR 2025)
 * measure it: an example has collapsed when, in float32, sum_j exp(z_j - max z) == 1 exactly,
 * i.e. every class but the largest underflowed next to it, so the softmax is a one-hot and the
 * cross-entropy's gradient vanishes. Computed on the host from the logits the eval read back, the
 * same way on every backend: each logit rounded to float32 (cpuref's are float64), the shift, exp
 * and the running sum in float32, in class order.
 */
final class SoftmaxCollapse {
    private SoftmaxCollapse() {
    }

    /** Whether the row of {@code vocab} logits starting at {@code row} has collapsed. */
    static boolean collapsed(double[] logits, int row, int vocab) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < vocab; j++) {
            max = Math.max(max, (float) logits[row + j]);
        }
        float sum = 0;
        for (int j = 0; j < vocab; j++) {
            sum += (float) Math.exp((float) logits[row + j] - max);
        }
        return sum == 1f;
    }

    /**
     * The fraction of one model's examples that collapsed, overall and per task.
     *
     * @param logits the group's [M, B, V] logits, read back
     * @param model  which model's rows
     * @return [overall, task 0, task 1, ...]; rows past {@code set.count()} (padding) are ignored
     */
    static double[] fractions(double[] logits, int model, int batch, int vocab, ExampleSet set) {
        int tasks = set.taskCount();
        double[] out = new double[tasks + 1];
        int[] n = new int[tasks];
        for (int e = 0; e < set.count(); e++) {
            int t = set.tasks()[e];
            n[t]++;
            if (collapsed(logits, (model * batch + e) * vocab, vocab)) {
                out[0]++;
                out[t + 1]++;
            }
        }
        out[0] /= Math.max(1, set.count());
        for (int t = 0; t < tasks; t++) {
            out[t + 1] /= Math.max(1, n[t]);
        }
        return out;
    }
}
