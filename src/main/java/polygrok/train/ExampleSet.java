package polygrok.train;

/**
 * Examples of one run as the trainer needs them: token rows, answers and the task of each example.
 *
 * @param tokens    count * nCtx tokens, row-major
 * @param tasks     index of each example's task (0 for single-task runs)
 * @param taskCount number of tasks (mixtures have several)
 */
public record ExampleSet(int count, int nCtx, int[] tokens, int[] labels, int[] tasks, int taskCount) {
    public ExampleSet {
        if (tokens.length != (long) count * nCtx || labels.length != count || tasks.length != count) {
            throw new IllegalArgumentException("example arrays disagree: count " + count + ", n_ctx " + nCtx + ", "
                    + tokens.length + " tokens, " + labels.length + " labels, " + tasks.length + " task ids");
        }
    }

    /** Per-example loss weights: each task's examples share 1 / (examples of that task), so the loss is a sum of task means. */
    public double[] taskMeanWeights() {
        int[] perTask = new int[taskCount];
        for (int t : tasks) {
            perTask[t]++;
        }
        double[] w = new double[count];
        for (int i = 0; i < count; i++) {
            w[i] = 1.0 / perTask[tasks[i]];
        }
        return w;
    }
}
