package polygrok.data;

/**
 * One side of a split, flat for speed: example i has tokens[i*nCtx .. (i+1)*nCtx), label
 * labels[i], task tasks[i] (an index into SplitData.taskNames) and operands
 * operands[i*arity .. (i+1)*arity) for printing. Mixtures are laid out task by task.
 */
public record Examples(int count, int nCtx, int[] tokens, int[] labels, int[] tasks, int[] operands) {
    public Examples {
        if (count < 0 || nCtx < 1) {
            throw new IllegalArgumentException("examples: count " + count + ", n_ctx " + nCtx);
        }
        if (tokens.length != count * nCtx || labels.length != count || tasks.length != count
                || (count > 0 && operands.length % count != 0)) {
            throw new IllegalArgumentException("examples: arrays do not match count " + count + " and n_ctx " + nCtx
                    + " (tokens " + tokens.length + ", labels " + labels.length + ", tasks " + tasks.length
                    + ", operands " + operands.length + ")");
        }
    }

    /** Operands per example (2 or 3). */
    public int arity() {
        return count == 0 ? 0 : operands.length / count;
    }

    /** A copy of example i's input tokens. */
    public int[] tokensOf(int i) {
        int[] t = new int[nCtx];
        System.arraycopy(tokens, i * nCtx, t, 0, nCtx);
        return t;
    }

    /** A copy of example i's operands. */
    public int[] operandsOf(int i) {
        int a = arity();
        int[] o = new int[a];
        System.arraycopy(operands, i * a, o, 0, a);
        return o;
    }
}
