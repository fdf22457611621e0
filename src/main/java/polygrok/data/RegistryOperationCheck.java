package polygrok.data;

import polygrok.config.OperationCheck;

import java.util.List;

/**
 * The operations registry as the config floor sees it (registered in
 * META-INF/services/polygrok.config.OperationCheck): unknown names, parse errors, a non-prime p
 * for division and products, and a long format the task does not have.
 */
public final class RegistryOperationCheck implements OperationCheck {

    @Override
    public String problem(String op, int p, String format) {
        Operation operation;
        try {
            operation = Operations.resolve(op);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (operation.needsPrime() && !ModMath.isPrime(p)) {
            return "\"" + op + "\" needs a prime p (it uses products or inverses in Z_p), got p = " + p;
        }
        try {
            operation.format(Operations.styleFor(op, TokenStyle.parse(format)));
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }

    @Override
    public String mixtureProblem(List<String> ops, String format) {
        try {
            Datasets.checkMixture(ops, TokenStyle.parse(format));
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Override
    public String duplicateProblem(List<String> ops, int p, int operandRange, String format) {
        return SameTask.duplicate(ops, p, operandRange, TokenStyle.parse(format));
    }

    @Override
    public List<String> knownNames() {
        return Operations.names();
    }
}
