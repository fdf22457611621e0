package polygrok.config;

import java.util.List;

/**
 * What the config floor needs to know about operations without importing the data floor above
 * it: whether a name (or expression) is usable at a given p and format. The data package
 * registers its registry as a {@link java.util.ServiceLoader} provider of this interface.
 */
public interface OperationCheck {

    /** Null if {@code op} can be used with this p and format, otherwise what is wrong and what is allowed. */
    String problem(String op, int p, String format);

    /**
     * Null if these operations can share one split as a mixture (same number of operands, same
     * input length in this format), otherwise what is wrong. Answer clashes between tasks are
     * found when the data is built.
     */
    String mixtureProblem(List<String> ops, String format);

    /**
     * Null if no two of {@code ops} compute the same task (the same input tokens in this format and the
     * same answer for every operand tuple over 0..operandRange-1 at this p), otherwise which two do.
     */
    String duplicateProblem(List<String> ops, int p, int operandRange, String format);

    /** Every registry name, for error messages. */
    List<String> knownNames();
}
