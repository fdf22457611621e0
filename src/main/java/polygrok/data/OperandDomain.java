package polygrok.data;

import java.util.Arrays;
import java.util.List;

/**
 * Which operand tuples a task admits, applied to the row-major list before the shuffle. Each
 * operation has its own; the config's "operand_domain" may replace it for every operation of a run.
 */
public enum OperandDomain {
    /** Every tuple. */
    ALL("all", "all"),
    /** b != 0 mod p (division needs an inverse; the seed drops j == 0; Grokfast's y in 1..p-1). */
    DIVISOR_NON_ZERO("b_nonzero", "b != 0 (mod p)"),
    /** No operand equal to 0, as the seed's "non_zero" filter (0 not in pair). */
    NON_ZERO("nonzero", "a != 0 and b != 0");

    private final String jsonName;
    private final String description;

    OperandDomain(String jsonName, String description) {
        this.jsonName = jsonName;
        this.description = description;
    }

    public boolean admits(int[] operands, int p) {
        return switch (this) {
            case ALL -> true;
            case DIVISOR_NON_ZERO -> Math.floorMod(operands[1], p) != 0;
            case NON_ZERO -> {
                for (int x : operands) {
                    if (x == 0) {
                        yield false;
                    }
                }
                yield true;
            }
        };
    }

    /**
     * True if every tuple this domain admits, the other admits too. NON_ZERO lies within DIVISOR_NON_ZERO
     * only while operands stay below p: NON_ZERO drops an operand equal to 0, DIVISOR_NON_ZERO a b equal to
     * 0 mod p, and over the p+5 range b = p passes the first and not the second.
     */
    public boolean within(OperandDomain other, boolean operandsBelowP) {
        return this == other || other == ALL || (this == NON_ZERO && other == DIVISOR_NON_ZERO && operandsBelowP);
    }

    public String jsonName() {
        return jsonName;
    }

    public String description() {
        return description;
    }

    /** The config's names, in declaration order. */
    public static List<String> jsonNames() {
        return Arrays.stream(values()).map(OperandDomain::jsonName).toList();
    }

    /** The domain a config names ("all", "b_nonzero", "nonzero"). */
    public static OperandDomain parse(String s) {
        for (OperandDomain d : values()) {
            if (d.jsonName.equals(s)) {
                return d;
            }
        }
        throw new IllegalArgumentException("operand_domain \"" + s + "\", allowed: " + String.join(", ", jsonNames())
                + ", or leave it out for each operation's own");
    }
}
