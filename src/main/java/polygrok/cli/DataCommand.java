package polygrok.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import polygrok.data.DataSpec;
import polygrok.data.Datasets;
import polygrok.data.Examples;
import polygrok.data.InputFormat;
import polygrok.data.OperandDomain;
import polygrok.data.OperandRange;
import polygrok.data.SplitData;

import java.io.PrintWriter;
import java.util.List;

/** Prints one side of a task's split, one JSON array [a, b, answer] per line, to compare with other tools. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Print the train or test examples of an operation: one JSON array [a, b, answer] "
                + "(or [a, b, c, answer]) per line, in split order.")
public final class DataCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--op", required = true, description = "operation name (see `polygrok ops`) or a polynomial, e.g. \"a^2 + b\"")
    String op;

    @Option(names = "--p", defaultValue = "97", description = "modulus (default ${DEFAULT-VALUE})")
    int p;

    @Option(names = "--train-fraction", defaultValue = "0.3", description = "fraction that trains (default ${DEFAULT-VALUE})")
    double trainFraction;

    @Option(names = "--seed", defaultValue = "0", description = "split seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--print", defaultValue = "train", description = "train or test (default ${DEFAULT-VALUE})")
    String side;

    @Option(names = "--operand-range", defaultValue = "p", description = "p (operands 0..p-1) or p+5 (the seed's range)")
    String operandRange;

    @Option(names = "--format", defaultValue = "short",
            description = "short, long, or a token template such as \"a * b =\" (default ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--operand-domain", description = "all, b_nonzero or nonzero (default: the operation's own)")
    String operandDomain;

    @Override
    public void run() {
        if (!side.equals("train") && !side.equals("test")) {
            throw new UserError("--print " + side + ": allowed train or test");
        }
        if (seed < 0) {
            throw new UserError("--seed " + seed + ": must be >= 0");
        }
        DataSpec dataSpec = new DataSpec(p, List.of(op), InputFormat.parse(format), trainFraction,
                OperandRange.parse(operandRange), operandDomain == null ? null : OperandDomain.parse(operandDomain), false, 0, false);
        SplitData data = Datasets.build(dataSpec, seed);
        Examples e = side.equals("train") ? data.train() : data.test();
        PrintWriter out = spec.commandLine().getOut();
        int arity = e.arity();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < e.count(); i++) {
            line.setLength(0);
            line.append('[');
            for (int k = 0; k < arity; k++) {
                line.append(e.operands()[i * arity + k]).append(", ");
            }
            line.append(e.labels()[i]).append(']');
            out.println(line);
        }
        out.flush();
    }
}
