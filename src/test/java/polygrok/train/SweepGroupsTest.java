package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import polygrok.config.SweepConfig;
import polygrok.config.SweepLoader;

/** Grouping is deterministic and shape-aware; shards split the groups so that every run trains exactly once. */
class SweepGroupsTest {
    static final Path OUT = Path.of("out", "table_a5");

    /** 29 two-operand operations at r 0.3 x 3 seeds, division among them (it has fewer pairs, so another shape). */
    static final String GRID = """
            {"name": "table_a5", "base": "add.json",
             "axes": {"ops": ["add", "subtract", "multiply", "division",
                              "x2_y2", "x2_xy_y2", "x2_xy_y2_x", "x3_xy", "x3_xy2_y",
                              "x_x_y", "xy_y", "x2_y", "2x_3y", "x3_2y", "x2_2xy_y2", "x2_2xy_y2_x_y",
                              "x_x_m_y", "xy_m_y", "x2_m_y", "2x_m_3y", "x3_m_2y", "x2_m_y2", "x2_m_2xy_y2",
                              "_x_y__3", "_x_y__4", "_x_m_y__3", "_x_m_y__4", "xy_x_y", "xy_x_m_y"],
                      "train_fraction": [0.3], "seeds": [0, 1, 2]}}""";

    static SweepConfig tableA5() {
        return SweepLoader.parse(GRID, "grid.json", Path.of("configs/paper"));
    }

    @Test
    void nShardsCoverEveryRunExactlyOnce() {
        SweepConfig s = tableA5();
        List<String> all = SweepGroups.runs(s.points(), OUT).stream().map(SweepRun::name).toList();
        assertEquals(87, all.size());
        for (int m : new int[]{1, 4, 16}) {
            List<RunGroup> groups = SweepGroups.of(s.points(), OUT, m);
            // each machine computes the groups on its own: they must come out the same every time
            assertEquals(names(groups), names(SweepGroups.of(tableA5().points(), OUT, m)),
                    "M " + m + ": the same groups every time");
            for (int n : new int[]{1, 2, 3, 5, 8, 100}) {
                Map<String, Integer> seen = new HashMap<>();
                for (int i = 0; i < n; i++) {
                    for (RunGroup g : new Shard(i, n).select(groups)) {
                        for (SweepRun r : g.runs()) {
                            seen.merge(r.name(), 1, Integer::sum);
                        }
                    }
                }
                for (String name : all) {
                    assertEquals(1, seen.getOrDefault(name, 0), "M " + m + ", " + n + " shards: times " + name + " is trained");
                }
                assertEquals(all.size(), seen.size(), "M " + m + ", " + n + " shards: runs outside the sweep");
            }
        }
    }

    static List<List<String>> names(List<RunGroup> groups) {
        return groups.stream().map(g -> g.runs().stream().map(SweepRun::name).toList()).toList();
    }

    @Test
    void theDefaultGroupSizeIsLargeOnTheGpuBackendOnly() {
        assertEquals(SweepGroups.DEFAULT_CUDA, SweepGroups.defaultModelsPerLaunch(false), "device memory");
        assertEquals(16, SweepGroups.DEFAULT_CUDA);
        for (String cpu : List.of("cpu", "cpuref")) {
            try (polygrok.backend.Backend be = polygrok.backend.select.Backends.create(cpu, line -> { })) {
                assertEquals(SweepGroups.DEFAULT_CPU, SweepGroups.defaultModelsPerLaunch(be), cpu);
            }
        }
        assertEquals(4, SweepGroups.DEFAULT_CPU);
    }

    @Test
    void groupsHoldRunsOfOneShapeUpToM() {
        List<RunGroup> groups = SweepGroups.of(tableA5().points(), OUT, 16);
        for (RunGroup g : groups) {
            assertTrue(g.runs().size() <= 16, "group " + g.index() + " has " + g.runs().size() + " runs");
            GroupKey key = SweepGroups.key(g.runs().get(0).point().config());
            for (SweepRun r : g.runs()) {
                assertEquals(key, SweepGroups.key(r.point().config()), "group " + g.index() + ": " + r.name() + " differs from its group");
            }
        }
        List<String> division = groups.stream().filter(g -> g.runs().get(0).point().name().startsWith("division"))
                .flatMap(g -> g.runs().stream().map(SweepRun::name)).toList();
        assertEquals(List.of("division_f0.3/seed_0", "division_f0.3/seed_1", "division_f0.3/seed_2"), division,
                "division has fewer pairs (b != 0), so it trains in a group of its own");
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), groups.stream().map(RunGroup::index).toList(), "84 runs in 6 groups, division in 1");
        assertEquals("add_f0.3/seed_0", groups.get(0).runs().get(0).name(), "grid order: ops, then seeds");
        assertEquals(OUT.resolve("add_f0.3").resolve("seed_0"), groups.get(0).runs().get(0).dir().dir(),
                "run directories as `train --out SWEEP_DIR` writes them");
    }

    @Test
    void theShardComesFromTheFlagOrTheScheduler() {
        assertEquals(new Shard(2, 4), Shard.resolve("2/4", null, null, Map.of()));
        assertEquals(Shard.ALL, Shard.resolve(null, null, 8, Map.of()), "no flag and no scheduler: the whole sweep");
        assertEquals(new Shard(3, 5), Shard.resolve(null, null, null,
                Map.of("SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_COUNT", "5")));
        assertEquals(new Shard(0, 4), Shard.resolve(null, null, null,
                Map.of("SLURM_ARRAY_TASK_ID", "1", "SLURM_ARRAY_TASK_MIN", "1", "SLURM_ARRAY_TASK_COUNT", "4")),
                "a 1-based array (--array=1-4) starts at shard 0");
        assertEquals(new Shard(6, 8), Shard.resolve(null, null, 8, Map.of("JOB_COMPLETION_INDEX", "6")));
        assertEquals(new Shard(6, 10), Shard.resolve(null, 10, 8, Map.of("JOB_COMPLETION_INDEX", "6")), "--shards beats the sweep's");
        String unknown = assertThrows(IllegalArgumentException.class,
                () -> Shard.resolve(null, null, null, Map.of("JOB_COMPLETION_INDEX", "2"))).getMessage();
        assertTrue(unknown.contains("JOB_COMPLETION_INDEX") && unknown.contains("--shards"), unknown);
        String outside = assertThrows(IllegalArgumentException.class,
                () -> Shard.resolve(null, 4, null, Map.of("JOB_COMPLETION_INDEX", "4"))).getMessage();
        assertTrue(outside.contains("shard 4 of 4"), outside);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Shard.parse("4/4")).getMessage().contains("0 <= I < N"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Shard.parse("1-4")).getMessage().contains("I/N"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Shard.resolve(null, 4, null, Map.of())).getMessage()
                .contains("--shard I/4"));
        List<Integer> taken = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            if (new Shard(1, 3).takes(new RunGroup(i, SweepGroups.runs(tableA5().points().subList(0, 1), OUT)))) {
                taken.add(i);
            }
        }
        assertEquals(List.of(1, 4, 7), taken, "shard 1/3 takes every third group from the second");
    }
}
