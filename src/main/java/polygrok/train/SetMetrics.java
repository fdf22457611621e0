package polygrok.train;

/**
 * Loss, accuracy and probability of the right answer over one example set, overall and per task.
 * The loss is the training objective: the sum over tasks of each task's mean cross-entropy (for a
 * single task, the plain mean). Accuracy and probability are means over all examples.
 */
public record SetMetrics(double loss, double acc, double prob, double[] taskLoss, double[] taskAcc, double[] taskProb) {

    /**
     * @param perExample one model's [B, 3] rows (cross-entropy, probability, correct), rows past
     *                   {@code set.count()} ignored
     */
    public static SetMetrics of(double[] perExample, int offset, ExampleSet set) {
        int tasks = set.taskCount();
        double[] loss = new double[tasks], acc = new double[tasks], prob = new double[tasks];
        int[] n = new int[tasks];
        double accAll = 0, probAll = 0;
        for (int i = 0; i < set.count(); i++) {
            int t = set.tasks()[i], row = offset + 3 * i;
            loss[t] += perExample[row];
            prob[t] += perExample[row + 1];
            acc[t] += perExample[row + 2];
            probAll += perExample[row + 1];
            accAll += perExample[row + 2];
            n[t]++;
        }
        double total = 0;
        for (int t = 0; t < tasks; t++) {
            if (n[t] > 0) {
                loss[t] /= n[t];
                acc[t] /= n[t];
                prob[t] /= n[t];
            }
            total += loss[t];
        }
        return new SetMetrics(total, accAll / set.count(), probAll / set.count(), loss, acc, prob);
    }
}
