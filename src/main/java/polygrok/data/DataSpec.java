package polygrok.data;

import java.util.List;

/**
 * Everything that decides a data set, apart from the split seed.
 *
 * @param p             modulus
 * @param ops           operation names or polynomial expressions; several make a mixture
 * @param format        input tokens: a style each operation spells its own way, or one template for all
 * @param trainFraction fraction of the shuffled tuples that train, in (0, 1)
 * @param operandRange  operand values 0..p-1 (default) or the seed's 0..p+4
 * @param domain        admitted operand tuples for every operation, or null for each operation's own
 * @param symmetric     only pairs with a <= b
 * @param nMask         mask tokens appended to the vocabulary
 * @param taskTokens    one extra token per operation, appended to each input, so a mixture
 *                      whose tasks share inputs can tell them apart
 */
public record DataSpec(int p, List<String> ops, InputFormat format, double trainFraction,
                       OperandRange operandRange, OperandDomain domain, boolean symmetric, int nMask, boolean taskTokens) {
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
        if (format == null || operandRange == null) {
            throw new IllegalArgumentException("format and operand_range must be set");
        }
    }

    /** A style and each operation's own operand domain, as every data set was before templates and domains. */
    public DataSpec(int p, List<String> ops, TokenStyle style, double trainFraction,
                    OperandRange operandRange, boolean symmetric, int nMask, boolean taskTokens) {
        this(p, ops, style == null ? null : InputFormat.of(style), trainFraction, operandRange, null, symmetric, nMask, taskTokens);
    }

    /** A single task with the defaults: short format, operand range p, no symmetry, masks or task tokens. */
    public static DataSpec of(String op, int p, double trainFraction) {
        return new DataSpec(p, List.of(op), TokenStyle.SHORT, trainFraction, OperandRange.P, false, 0, false);
    }

    /** The tuples operation {@code op} admits here: the config's domain if it sets one, else the operation's own. */
    public OperandDomain domainOf(Operation op) {
        return domain != null ? domain : op.domain();
    }
}
