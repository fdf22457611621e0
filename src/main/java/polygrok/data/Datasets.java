package polygrok.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the train/test examples of a {@link DataSpec}: all operand tuples in row-major order
 * (filtered by symmetry and every task's domain, or the config's operand_domain), shuffled exactly as Python's
 * {@code random.seed(seed); random.shuffle(tuples)}, the first floor(fraction * n) training.
 * Every task of a mixture uses this one shared split.
 */
public final class Datasets {
    private Datasets() {
    }

    /** The data of one run of an experiment. */
    public static SplitData build(polygrok.config.ExperimentConfig config, long seed) {
        return build(specOf(config), seed);
    }

    /** The data switches of an experiment config. */
    public static DataSpec specOf(polygrok.config.ExperimentConfig c) {
        return new DataSpec(c.p(), c.ops(), InputFormat.parseConfig(c.format()), c.trainFraction(),
                OperandRange.parse(c.operandRange()), c.operandDomain() == null ? null : OperandDomain.parse(c.operandDomain()),
                c.symmetric(), c.nMask(), c.taskTokens());
    }

    public static SplitData build(DataSpec spec, long seed) {
        List<Operation> ops = new ArrayList<>();
        List<TokenFormat> formats = new ArrayList<>();
        for (String name : spec.ops()) {
            Operation op = Operations.resolve(name);
            ops.add(op);
            formats.add(spec.format().resolve(name, op));
        }
        checkCompatible(spec, ops, formats);
        int arity = ops.get(0).arity();
        int range = spec.operandRange().size(spec.p());

        int[] tuples = tuples(spec, ops, arity, range); // flattened, arity ints per tuple
        int n = tuples.length / arity;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        new PythonRandom(seed).shuffle(order);
        int nTrain = (int) (spec.trainFraction() * n); // Python's int(frac * len): truncation
        if (nTrain == 0 || nTrain == n) {
            throw new IllegalArgumentException("train_fraction " + spec.trainFraction() + " of the " + n + " tuples of " + spec.ops()
                    + " at p " + spec.p() + " leaves " + (nTrain == 0 ? "no training example" : "no test example")
                    + "; choose a fraction that gives both, e.g. 0.3");
        }
        int[] trainIdx = java.util.Arrays.copyOfRange(order, 0, nTrain);
        int[] testIdx = java.util.Arrays.copyOfRange(order, nTrain, n);

        Vocabulary vocab = new Vocabulary(spec.p(), spec.nMask(), spec.taskTokens() ? ops.size() : 0);
        int nCtx = formats.get(0).length() + (spec.taskTokens() ? 1 : 0);
        if (ops.size() > 1 && !spec.taskTokens()) {
            refuseConflicts(spec, ops, formats, vocab, tuples, arity, range);
        }
        int numClasses = vocab.size();
        for (Operation op : ops) {
            numClasses = Math.max(numClasses, op.minClasses(spec.p(), range));
        }
        Examples train = examples(spec, ops, formats, vocab, nCtx, tuples, arity, trainIdx, range);
        Examples test = examples(spec, ops, formats, vocab, nCtx, tuples, arity, testIdx, range);
        return new SplitData(nCtx, vocab.size(), numClasses, List.copyOf(spec.ops()), train, test);
    }

    private static void checkCompatible(DataSpec spec, List<Operation> ops, List<TokenFormat> formats) {
        for (Operation op : ops) {
            if (op.needsPrime() && !ModMath.isPrime(spec.p())) {
                throw new IllegalArgumentException("operation " + op.name() + " needs a prime p (Z_p must be a field), got p = "
                        + spec.p());
            }
        }
        checkShapes(ops, formats);
        if (spec.domain() != null) {
            for (Operation op : ops) {
                String problem = op.domainProblem(spec.domain(), spec.operandRange() == OperandRange.P);
                if (problem != null) {
                    throw new IllegalArgumentException(problem);
                }
            }
        }
        if (spec.symmetric() && ops.get(0).arity() != 2) {
            throw new IllegalArgumentException("symmetric = true is defined for two operands (a <= b); "
                    + ops.get(0).name() + " takes " + ops.get(0).arity());
        }
        if ((long) spec.operandRange().size(spec.p()) > 46340) {
            throw new IllegalArgumentException("p = " + spec.p() + " is too large for an explicit operand table");
        }
    }

    /** Mixture members must have the same arity and input length: they share one split and one n_ctx. */
    static void checkMixture(List<String> names, InputFormat format) {
        List<Operation> ops = new ArrayList<>();
        List<TokenFormat> formats = new ArrayList<>();
        for (String name : names) {
            Operation op = Operations.resolve(name);
            ops.add(op);
            formats.add(format.resolve(name, op));
        }
        checkShapes(ops, formats);
    }

    private static void checkShapes(List<Operation> ops, List<TokenFormat> formats) {
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            if (op.arity() != ops.get(0).arity()) {
                throw new IllegalArgumentException("mixture mixes arities: " + ops.get(0).name() + " takes "
                        + ops.get(0).arity() + " operands, " + op.name() + " takes " + op.arity()
                        + "; a mixture shares one split, so all its operations need the same arity");
            }
            if (formats.get(i).length() != formats.get(0).length()) {
                throw new IllegalArgumentException("mixture mixes input lengths: " + ops.get(0).name() + " is "
                        + formats.get(0) + ", " + op.name() + " is " + formats.get(i)
                        + "; use format \"short\" or operations with the same token format length");
            }
        }
    }

    private static int[] tuples(DataSpec spec, List<Operation> ops, int arity, int range) {
        long total = 1;
        for (int i = 0; i < arity; i++) {
            total *= range;
        }
        if (total > 50_000_000L) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "p %d: %d operands over %d values give %,d"
                    + " examples, more than the 50,000,000 a data set may hold; choose a smaller p", spec.p(), arity, range, total));
        }
        int[] out = new int[(int) total * arity];
        int[] t = new int[arity];
        int written = 0;
        for (long k = 0; k < total; k++) {
            long rest = k;
            for (int i = arity - 1; i >= 0; i--) { // row-major: the last operand varies fastest
                t[i] = (int) (rest % range);
                rest /= range;
            }
            if (spec.symmetric() && t[0] > t[1]) {
                continue;
            }
            boolean admitted = true;
            for (Operation op : ops) {
                admitted &= spec.domainOf(op).admits(t, spec.p());
            }
            if (admitted) {
                System.arraycopy(t, 0, out, written, arity);
                written += arity;
            }
        }
        return java.util.Arrays.copyOf(out, written);
    }

    private static Examples examples(DataSpec spec, List<Operation> ops, List<TokenFormat> formats, Vocabulary vocab,
                                     int nCtx, int[] tuples, int arity, int[] idx, int range) {
        int count = idx.length * ops.size();
        int[] tokens = new int[count * nCtx];
        int[] labels = new int[count];
        int[] tasks = new int[count];
        int[] operands = new int[count * arity];
        int[] t = new int[arity];
        int row = 0;
        for (int task = 0; task < ops.size(); task++) { // task by task, like the seed's loop over fns
            Operation op = ops.get(task);
            TokenFormat format = formats.get(task);
            for (int i : idx) {
                System.arraycopy(tuples, i * arity, t, 0, arity);
                format.encode(t, vocab, tokens, row * nCtx);
                if (spec.taskTokens()) {
                    tokens[row * nCtx + nCtx - 1] = vocab.task(task);
                }
                labels[row] = op.answer(t, spec.p(), range);
                tasks[row] = task;
                System.arraycopy(t, 0, operands, row * arity, arity);
                row++;
            }
        }
        return new Examples(count, nCtx, tokens, labels, tasks, operands);
    }

    /**
     * A mixture must not show one input twice with two answers: the model could not learn both.
     * Each (task, tuple) becomes one long, input tokens in base V times the number of answers plus
     * the answer; after a sort, equal inputs sit together and a clash is two neighbours with the
     * same input and different answers. (A task never maps two tuples to one input: its format
     * uses every operand.) Inputs too long for a long fall back to a hash map of strings.
     */
    private static void refuseConflicts(DataSpec spec, List<Operation> ops, List<TokenFormat> formats, Vocabulary vocab,
                                        int[] tuples, int arity, int range) {
        int len = formats.get(0).length();
        int n = tuples.length / arity;
        int answers = 0;
        for (Operation op : ops) {
            answers = Math.max(answers, op.minClasses(spec.p(), range));
        }
        long limit = Long.MAX_VALUE / answers;
        long keySpace = 1;
        for (int k = 0; k < len && keySpace <= limit; k++) {
            keySpace = keySpace > limit / vocab.size() ? limit + 1 : keySpace * vocab.size();
        }
        if (keySpace > limit) {
            refuseConflictsByString(spec, ops, formats, vocab, tuples, arity, range);
            return;
        }
        long[] packed = new long[n * ops.size()];
        int[] t = new int[arity];
        int[] tokens = new int[len];
        for (int task = 0; task < ops.size(); task++) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(tuples, i * arity, t, 0, arity);
                formats.get(task).encode(t, vocab, tokens, 0);
                long key = 0;
                for (int k = 0; k < len; k++) {
                    key = key * vocab.size() + tokens[k];
                }
                packed[task * n + i] = key * answers + ops.get(task).answer(t, spec.p(), range);
            }
        }
        long[] sorted = packed.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] / answers == sorted[i - 1] / answers && sorted[i] != sorted[i - 1]) {
                int first = indexOf(packed, sorted[i - 1]);
                int second = indexOf(packed, sorted[i]);
                throw clash(spec, ops, formats, vocab, tuples, arity, range, first / n, first % n, second / n, second % n);
            }
        }
    }

    private static int indexOf(long[] values, long v) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == v) {
                return i;
            }
        }
        throw new IllegalStateException("value vanished from the conflict table");
    }

    private static void refuseConflictsByString(DataSpec spec, List<Operation> ops, List<TokenFormat> formats,
                                                Vocabulary vocab, int[] tuples, int arity, int range) {
        int len = formats.get(0).length();
        Map<String, int[]> seen = new HashMap<>(); // input tokens -> {task, tuple index, answer}
        int[] t = new int[arity];
        int[] tokens = new int[len];
        char[] key = new char[len];
        for (int task = 0; task < ops.size(); task++) {
            for (int i = 0; i < tuples.length / arity; i++) {
                System.arraycopy(tuples, i * arity, t, 0, arity);
                formats.get(task).encode(t, vocab, tokens, 0);
                for (int k = 0; k < len; k++) {
                    key[k] = (char) tokens[k];
                }
                int answer = ops.get(task).answer(t, spec.p(), range);
                int[] prev = seen.putIfAbsent(new String(key), new int[]{task, i, answer});
                if (prev != null && prev[0] != task && prev[2] != answer) {
                    throw clash(spec, ops, formats, vocab, tuples, arity, range, prev[0], prev[1], task, i);
                }
            }
        }
    }

    private static IllegalArgumentException clash(DataSpec spec, List<Operation> ops, List<TokenFormat> formats,
                                                  Vocabulary vocab, int[] tuples, int arity, int range,
                                                  int taskA, int tupleA, int taskB, int tupleB) {
        int[] a = java.util.Arrays.copyOfRange(tuples, tupleA * arity, tupleA * arity + arity);
        int[] b = java.util.Arrays.copyOfRange(tuples, tupleB * arity, tupleB * arity + arity);
        int[] tokens = new int[formats.get(0).length()];
        formats.get(taskA).encode(a, vocab, tokens, 0);
        return new IllegalArgumentException("mixture " + spec.ops() + " gives the same input "
                + java.util.Arrays.toString(tokens) + " two answers: " + ops.get(taskA).name()
                + java.util.Arrays.toString(a) + " = " + ops.get(taskA).answer(a, spec.p(), range) + ", "
                + ops.get(taskB).name() + java.util.Arrays.toString(b) + " = " + ops.get(taskB).answer(b, spec.p(), range)
                + "; set task_tokens = true to add one task token per operation");
    }
}
