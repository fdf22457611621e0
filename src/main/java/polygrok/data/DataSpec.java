package polygrok.data;

import java.util.List;

/**
 * Everything that decides a data set, apart from the split seed.
 *
 * @param p             modulus
 * @param ops           operation names or polynomial expressions; several make a mixture
 * @param style         token format of polynomial tasks
 * @param trainFraction fraction of the shuffled tuples that train, in (0, 1)
 * @param operandRange  operand values 0..p-1 (default) or the seed's 0..p+4
 * @param symmetric     only pairs with a <= b
 * @param nMask         mask tokens appended to the vocabulary
 * @param taskTokens    one extra token per operation, appended to each input, so a mixture
 *                      whose tasks share inputs can tell them apart
 */
public record DataSpec(int p, List<String> ops, TokenStyle style, double trainFraction,
                       OperandRange operandRange, boolean symmetric, int nMask, boolean taskTokens) {
    public DataSpec {
        if (p < 2) {
            throw new IllegalArgumentException("p = " + p + ", must be at least 2");
        }
        if (ops == null || ops.isEmpty()) {
            throw new IllegalArgumentException("ops is empty; name at least one operation");
        }
        ops = List.copyOf(ops);
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("train_fraction = " + trainFraction + ", allowed: strictly between 0 and 1");
        }
        if (nMask < 0) {
            throw new IllegalArgumentException("n_mask = " + nMask + ", must be >= 0");
        }
        if (style == null || operandRange == null) {
            throw new IllegalArgumentException("format and operand_range must be set");
        }
    }

    /** A single task with the defaults: short format, operand range p, no symmetry, masks or task tokens. */
    public static DataSpec of(String op, int p, double trainFraction) {
        return new DataSpec(p, List.of(op), TokenStyle.SHORT, trainFraction, OperandRange.P, false, 0, false);
    }
}
