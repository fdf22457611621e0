package polygrok.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Finds two operations of a mixture that are one task spelled twice ("a^2 + b" and "b + a^2", or
 * "add" and "a + b" in a format where both read [a, =, b]): the same input tokens, the same admitted
 * operand tuples and the same answer on each. Trained together they would only duplicate examples.
 */
final class SameTask {
    /**
     * Tuples compared exhaustively up to this many; beyond it a seeded sample of this size. Two different
     * polynomial maps of degree d agree on at most a fraction d/p of the tuples (Schwartz-Zippel), so a
     * sample this large misses a difference only with probability (d/p)^SAMPLE: never, in practice.
     */
    static final int SAMPLE = 1 << 20;

    private SameTask() {
    }

    /** Null if every pair of {@code names} differs somewhere, otherwise which two compute the same task. */
    static String duplicate(List<String> names, int p, int operandRange, InputFormat format, OperandDomain domain) {
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                if (same(names.get(i), names.get(j), p, operandRange, format, domain)) {
                    return "ops[" + j + "] \"" + names.get(j) + "\" computes the same task as ops[" + i + "] \"" + names.get(i)
                            + "\" (the same input tokens and the same answer for every operand pair at p " + p
                            + "); name each task once";
                }
            }
        }
        return null;
    }

    /** @param domain the config's operand_domain for both, or null for each operation's own */
    private static boolean same(String first, String second, int p, int range, InputFormat format, OperandDomain domain) {
        Operation a = Operations.resolve(first), b = Operations.resolve(second);
        if (a.arity() != b.arity() || !format.resolve(first, a).equals(format.resolve(second, b))) {
            return false;
        }
        long tuples = (long) Math.pow(range, a.arity());
        int[] operands = new int[a.arity()];
        SplittableRandom random = new SplittableRandom(0);
        for (long t = 0; t < Math.min(tuples, SAMPLE); t++) {
            long index = tuples <= SAMPLE ? t : random.nextLong(tuples);
            for (int k = a.arity() - 1; k >= 0; k--) {
                operands[k] = (int) (index % range);
                index /= range;
            }
            boolean inA = (domain == null ? a.domain() : domain).admits(operands, p);
            boolean inB = (domain == null ? b.domain() : domain).admits(operands, p);
            if (inA != inB || (inA && a.answer(operands, p, range) != b.answer(operands, p, range))) {
                return false;
            }
        }
        return true;
    }
}
