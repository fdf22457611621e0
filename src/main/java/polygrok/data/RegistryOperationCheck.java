package polygrok.data;

import polygrok.config.OperationCheck;

import java.util.List;

/**
 * The operations registry as the config floor sees it (registered in
 * META-INF/services/polygrok.config.OperationCheck): unknown names, parse errors, a non-prime p
 * for division and products, a long format the task does not have, a format template that does
 * not fit a task and an operand domain a task is not defined on.
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
        InputFormat input = InputFormat.parseConfig(format);
        if (!input.isTemplate()) { // a template's fit is the format's problem: formatProblem names it
            try {
                input.resolve(op, operation);
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }
        return null;
    }

    @Override
    public String formatProblem(List<String> ops, String format) {
        InputFormat input;
        try {
            input = InputFormat.parseConfig(format);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        for (int i = 0; i < ops.size(); i++) {
            if (!Operations.isKnown(ops.get(i))) {
                continue; // problem() names an unknown operation under its own field
            }
            String problem = input.templateProblem(ops.get(i), Operations.resolve(ops.get(i)));
            if (problem != null) {
                return (ops.size() > 1 ? "ops[" + i + "]: " : "") + problem;
            }
        }
        return null;
    }

    @Override
    public String domainProblem(List<String> ops, String domain, boolean operandsBelowP) {
        OperandDomain wanted;
        try {
            wanted = OperandDomain.parse(domain);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        for (int i = 0; i < ops.size(); i++) {
            String problem = Operations.resolve(ops.get(i)).domainProblem(wanted, operandsBelowP);
            if (problem != null) {
                return (ops.size() > 1 ? "ops[" + i + "]: " : "") + problem;
            }
        }
        return null;
    }

    @Override
    public String mixtureProblem(List<String> ops, String format) {
        try {
            Datasets.checkMixture(ops, InputFormat.parseConfig(format));
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Override
    public String duplicateProblem(List<String> ops, int p, int operandRange, String format, String domain) {
        return SameTask.duplicate(ops, p, operandRange, InputFormat.parseConfig(format), domain == null ? null : OperandDomain.parse(domain));
    }

    @Override
    public List<String> knownNames() {
        return Operations.names();
    }
}
