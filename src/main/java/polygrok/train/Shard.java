package polygrok.train;

import java.util.List;
import java.util.Map;

/**
 * Which part of a sweep this process trains: groups whose index i has i mod count == index.
 * Taking every N-th group (rather than a block) spreads the sweep's early, often slower, points
 * over all shards.
 */
public record Shard(int index, int count) {
    /** The whole sweep. */
    public static final Shard ALL = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + " is impossible; allowed: I/N with N >= 1 and 0 <= I < N");
        }
    }

    public boolean takes(RunGroup group) {
        return group.index() % count == index;
    }

    public List<RunGroup> select(List<RunGroup> groups) {
        return groups.stream().filter(this::takes).toList();
    }

    /** Parses "I/N" (0-based I), as given to --shard. */
    public static Shard parse(String text) {
        String[] parts = text.trim().split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("--shard: \"" + text + "\" is not I/N (e.g. 0/4: the first of 4 shards)");
        }
        try {
            return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--shard: \"" + text + "\" is not I/N with whole numbers (e.g. 0/4)");
        }
    }

    /**
     * The shard of this process: --shard when given; else a Slurm array task (SLURM_ARRAY_TASK_ID,
     * counted from SLURM_ARRAY_TASK_MIN, N from SLURM_ARRAY_TASK_COUNT); else a Kubernetes indexed
     * Job (JOB_COMPLETION_INDEX, N from --shards or the sweep's "shards", as Kubernetes does not
     * export the completion count); else the whole sweep.
     *
     * @param flag        the --shard value, or null
     * @param shardsFlag  the --shards value, or null
     * @param sweepShards the sweep file's "shards", or null
     * @param env         the environment (System.getenv() outside tests)
     */
    public static Shard resolve(String flag, Integer shardsFlag, Integer sweepShards, Map<String, String> env) {
        if (shardsFlag != null && shardsFlag < 1) {
            throw new IllegalArgumentException("--shards " + shardsFlag + " must be at least 1 (the number of shards the sweep is split into)");
        }
        if (flag != null) {
            Shard s = parse(flag);
            if (shardsFlag != null && shardsFlag != s.count()) {
                throw new IllegalArgumentException("--shard " + flag + " and --shards " + shardsFlag + " disagree on the number of shards");
            }
            return s;
        }
        Integer count = shardsFlag != null ? shardsFlag : sweepShards;
        String slurmId = env.get("SLURM_ARRAY_TASK_ID");
        if (slurmId != null) {
            int id = integer("SLURM_ARRAY_TASK_ID", slurmId);
            int min = env.containsKey("SLURM_ARRAY_TASK_MIN") ? integer("SLURM_ARRAY_TASK_MIN", env.get("SLURM_ARRAY_TASK_MIN")) : 0;
            Integer slurmCount = env.containsKey("SLURM_ARRAY_TASK_COUNT")
                    ? Integer.valueOf(integer("SLURM_ARRAY_TASK_COUNT", env.get("SLURM_ARRAY_TASK_COUNT"))) : count;
            if (slurmCount == null) {
                throw new IllegalArgumentException("SLURM_ARRAY_TASK_ID is " + slurmId + " but the number of shards is unknown"
                        + " (no SLURM_ARRAY_TASK_COUNT); pass --shards N or set \"shards\" in the sweep");
            }
            return checked(id - min, slurmCount, "SLURM_ARRAY_TASK_ID " + id + " (min " + min + ")");
        }
        String k8s = env.get("JOB_COMPLETION_INDEX");
        if (k8s != null) {
            if (count == null) {
                throw new IllegalArgumentException("JOB_COMPLETION_INDEX is " + k8s + " but the number of shards is unknown;"
                        + " pass --shards N (the Job's completions) or set \"shards\" in the sweep");
            }
            return checked(integer("JOB_COMPLETION_INDEX", k8s), count, "JOB_COMPLETION_INDEX " + k8s);
        }
        if (shardsFlag != null) {
            throw new IllegalArgumentException("--shards " + shardsFlag + " says how many shards there are but not which one this is;"
                    + " add --shard I/" + shardsFlag + " or run under a Slurm array or a Kubernetes indexed Job");
        }
        return ALL;
    }

    private static Shard checked(int index, int count, String what) {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException(what + " gives shard " + index + " of " + count + "; allowed: 0.." + (count - 1));
        }
        return new Shard(index, count);
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is \"" + value + "\", not a whole number");
        }
    }
}
