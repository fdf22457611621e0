package polygrok.data;

/** Which operand tuples a task admits, applied to the row-major list before the shuffle. */
public enum OperandDomain {
    /** Every tuple. */
    ALL("all"),
    /** b != 0 mod p (division needs an inverse; the seed drops j == 0). */
    DIVISOR_NON_ZERO("b != 0 (mod p)"),
    /** No operand equal to 0, as the seed's "non_zero" filter (0 not in pair). */
    NON_ZERO("a != 0 and b != 0");

    private final String description;

    OperandDomain(String description) {
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

    public String description() {
        return description;
    }
}
