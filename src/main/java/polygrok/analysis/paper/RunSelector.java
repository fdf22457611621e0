package polygrok.analysis.paper;

import java.util.List;
import java.util.Set;

/**
 * Which runs a paper cell speaks about: these operations (a set: a mixture's order does not matter),
 * started this way, and for a mixture finding the one task it names (null: every task).
 *
 * @param start    {@link RunOutcome#SCRATCH}, {@link RunOutcome#PG_E} or {@link RunOutcome#PG_T}
 * @param sourceOp the pre-training operation for PG-E and PG-T; null from scratch
 */
public record RunSelector(Set<String> ops, String task, String start, String sourceOp) {
    public RunSelector {
        ops = Set.copyOf(ops);
    }

    public static RunSelector scratch(List<String> ops) {
        return new RunSelector(Set.copyOf(ops), null, RunOutcome.SCRATCH, null);
    }

    public boolean matches(RunOutcome run) {
        return Set.copyOf(run.ops()).equals(ops) && start.equals(run.start())
                && (sourceOp == null ? run.sourceOps().isEmpty() : run.sourceOps().equals(List.of(sourceOp)));
    }
}
