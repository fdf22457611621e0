package polygrok.train;

import java.util.List;

/**
 * Runs that train together on one model axis. {@code index} is the group's place in the sweep's
 * fixed group order; shards pick groups by it.
 */
public record RunGroup(int index, List<SweepRun> runs) {
    public RunGroup {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("group " + index + " has no runs");
        }
        runs = List.copyOf(runs);
    }
}
