package polygrok.data;

/**
 * One task: a name, its formula, how many operands it takes, how its input is spelled, which
 * operand tuples it admits and how its answer is computed.
 *
 * @param name          registry name (the seed's) or, for an expression task, the expression as written
 * @param formula       human-readable formula, e.g. "(a^2 + a*b + b^2) mod p"
 * @param arity         2 or 3 operands
 * @param shortFormat   input tokens in the short format
 * @param longFormat    input tokens in the long format, or null where the seed has none
 * @param domain        admitted operand tuples, unless the config's operand_domain replaces them
 * @param definedOn     the widest domain the answer is defined on: ALL, or DIVISOR_NON_ZERO for division
 *                      (0 has no inverse); a config's operand_domain must lie within it
 * @param answer        the answer rule
 * @param needsPrime    true where the task relies on Z_p being a field (division, products)
 * @param unboundedAnswer true where the answer is not reduced mod p (only_add), so the model needs
 *                      more output classes than p; see {@link #minClasses}
 * @param note          where polygrok's choice differs from, or fills a gap in, the seed
 */
public record Operation(String name, String formula, int arity, TokenFormat shortFormat,
                        TokenFormat longFormat, OperandDomain domain, OperandDomain definedOn, AnswerRule answer,
                        boolean needsPrime, boolean unboundedAnswer, String note) {
    public Operation {
        if (arity != 2 && arity != 3) {
            throw new IllegalArgumentException("operation " + name + ": arity " + arity + ", allowed 2 or 3");
        }
        if (shortFormat.operandsUsed() != arity || (longFormat != null && longFormat.operandsUsed() != arity)) {
            throw new IllegalArgumentException("operation " + name + ": token format uses a different number of operands than " + arity);
        }
        if (!domain.within(definedOn, true)) {
            throw new IllegalArgumentException("operation " + name + ": its own domain " + domain.jsonName()
                    + " admits tuples its answer is not defined on (" + definedOn.jsonName() + ")");
        }
        note = note == null ? "" : note;
    }

    /**
     * Null if this operation can take a config's operand_domain over this operand range, otherwise why not.
     *
     * @param operandsBelowP true for operand range p (0..p-1), false for the seed's p+5
     */
    public String domainProblem(OperandDomain wanted, boolean operandsBelowP) {
        if (wanted.within(definedOn, operandsBelowP)) {
            return null;
        }
        return "operation " + name + ", " + formula + ", is defined only where " + definedOn.description()
                + ", and operand_domain \"" + wanted.jsonName() + "\" admits " + (wanted == OperandDomain.ALL ? "every tuple"
                : "b = p of the p+5 range") + "; use \"" + definedOn.jsonName() + "\""
                + (definedOn == OperandDomain.DIVISOR_NON_ZERO && operandsBelowP ? " or \"nonzero\"" : "")
                + " or leave operand_domain out";
    }

    /** The input tokens for a style; a task without a long format refuses LONG with a clear error. */
    public TokenFormat format(TokenStyle style) {
        if (style == TokenStyle.SHORT) {
            return shortFormat;
        }
        if (longFormat == null) {
            throw new IllegalArgumentException("operation " + name + " has no long format (the seed spells it only as "
                    + shortFormat + "); use format \"short\"");
        }
        return longFormat;
    }

    /** Answer classes this task needs beyond the vocabulary: only_add's sums reach 2(range-1). */
    public int minClasses(int p, int operandRange) {
        return unboundedAnswer ? Math.max(2 * p, 2 * operandRange - 1) : p;
    }

    public int answer(int[] operands, int p, int operandRange) {
        return answer.answer(operands, p, operandRange);
    }
}
