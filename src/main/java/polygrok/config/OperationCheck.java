package polygrok.config;

import java.util.List;

/**
 * What the config floor needs to know about operations without importing the data floor above
 * it: whether a name (or expression) is usable at a given p, format and operand domain. The data
 * package registers its registry as a {@link java.util.ServiceLoader} provider of this interface.
 */
public interface OperationCheck {

    /**
     * Null if {@code op} can be used with this p and format, otherwise what is wrong and what is allowed.
     * Whether a format template fits the operation is {@link #formatProblem}'s to say.
     */
    String problem(String op, int p, String format);

    /**
     * Null if {@code format} is "short", "long" or a token template that spells every known operation of
     * {@code ops} (each operand it takes, no other), otherwise what is wrong and which forms are allowed.
     */
    String formatProblem(List<String> ops, String format);

    /**
     * Null if every operation of {@code ops} is defined on all tuples operand domain {@code domain} admits
     * (division is not where b = 0 mod p), otherwise which one is not and what to use instead.
     *
     * @param operandsBelowP true for operand range "p", false for "p+5"
     */
    String domainProblem(List<String> ops, String domain, boolean operandsBelowP);

    /**
     * Null if these operations can share one split as a mixture (same number of operands, same
     * input length in this format), otherwise what is wrong. Answer clashes between tasks are
     * found when the data is built.
     */
    String mixtureProblem(List<String> ops, String format);

    /**
     * Null if no two of {@code ops} compute the same task (the same input tokens in this format and the
     * same answer for every operand tuple over 0..operandRange-1 at this p, each admitted by the config's
     * operand domain, or null for each operation's own), otherwise which two do.
     */
    String duplicateProblem(List<String> ops, int p, int operandRange, String format, String domain);

    /** Every registry name, for error messages. */
    List<String> knownNames();
}
