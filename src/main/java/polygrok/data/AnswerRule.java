package polygrok.data;

/** The answer of a task for one operand tuple; for most tasks a residue mod p. */
@FunctionalInterface
public interface AnswerRule {
    int answer(int[] operands, int p, int operandRange);
}
