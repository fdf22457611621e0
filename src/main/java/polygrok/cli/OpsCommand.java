package polygrok.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import polygrok.data.Operation;
import polygrok.data.Operations;

import java.io.PrintWriter;

/** Lists every built-in operation with its formula and token formats. */
@Command(name = "ops", mixinStandardHelpOptions = true,
        description = "List every operation: name, formula, operands, token formats (short / long) and operand domain. "
                + "Any polynomial in a, b (and c) also works as an operation, e.g. \"a^3 + a*b^2 + b\".")
public final class OpsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        String row = "%-18s %-38s %-5s %-16s %-42s %s%n";
        out.printf(row, "NAME", "FORMULA", "ARGS", "SHORT", "LONG", "DOMAIN");
        for (Operation op : Operations.all()) {
            out.printf(row, op.name(), op.formula(), op.arity(), op.shortFormat(),
                    op.longFormat() == null ? "-" : op.longFormat(), op.domain().description());
            if (!op.note().isEmpty()) {
                out.printf("%-18s   note: %s%n", "", op.note());
            }
        }
        out.println();
        out.println("Tokens: numbers 0..p-1, then '=' p, '+' p+1, '-' p+2, '*' p+3, '/' p+4 (V = p + 5).");
        out.println("Config \"format\" picks short or long for polynomials; a \"_short\" suffix (seed naming) forces short.");
        out.flush();
    }
}
