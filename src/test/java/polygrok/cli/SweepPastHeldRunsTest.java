package polygrok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With real processes: an unsharded sweep that meets a run another process is training leaves that
 * run, trains the runs after it, names the one it left, ends with exit 2, and its table marks the
 * held run as in progress.
 */
class SweepPastHeldRunsTest {

    @Test
    void aSweepTrainsAroundARunAnotherProcessHolds(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("long.json"), ProcessLifetimeTest.LONG_RUN);
        // one run per group, the held one first: the sweep used to stop there
        Files.writeString(dir.resolve("sweep.json"), "{\"name\": \"held_sweep\", \"base\": \"long.json\","
                + " \"axes\": {\"seeds\": [0, 1, 2]}, \"models_per_launch\": 1}");
        Path point = dir.resolve("runs/held_sweep/long");
        Process other = ProcessLifetimeTest.launch(dir, "train", "long.json", "--out", "runs/held_sweep");
        try {
            ProcessLifetimeTest.waitFor(() -> Files.exists(point.resolve("seed_0/metrics.jsonl")), 60, "the other process to train seed_0");
            Path log = dir.resolve("sweep.log");
            Process sweep = ProcessLifetimeTest.launch(dir, log, "sweep", "sweep.json", "--out", "runs", "--epochs", "3");
            assertTrue(sweep.waitFor(180, TimeUnit.SECONDS), "the sweep should end");
            String said = Files.readString(log);
            assertEquals(2, sweep.exitValue(), said);
            List<String> skipped = said.lines().filter(l -> l.contains("skipped")).toList();
            assertEquals(2, skipped.size(), "one line for the run, one at the end:\n" + said);
            assertTrue(skipped.get(0).startsWith("polygrok: ") && skipped.get(0).contains("seed_0: skipped, in use by pid")
                    && skipped.get(0).contains("run the same command again"), skipped.get(0));
            assertTrue(skipped.get(1).startsWith("polygrok: 1 run(s) of sweep.json skipped"), skipped.get(1));
            assertFalse(said.contains("Exception") || said.contains("\tat "), said);
            assertTrue(Files.exists(point.resolve("seed_1/summary.json")) && Files.exists(point.resolve("seed_2/summary.json")),
                    "the runs after the held one trained:\n" + said);
            assertFalse(Files.exists(point.resolve("seed_0/summary.json")), "the held run is the other process's");
            List<String> table = Files.readAllLines(dir.resolve("runs/held_sweep/table.csv"));
            assertTrue(table.get(0).endsWith(",in_progress"), table.get(0));
            String[] row = table.get(1).split(",");
            assertEquals("long", row[0]);
            assertEquals(List.of("2", "1", "1"), List.of(row[7], row[8], row[row.length - 1]), "finished, unfinished, in progress: " + table.get(1));
            assertTrue(other.isAlive(), "the other process trains on");
        } finally {
            other.descendants().forEach(ProcessHandle::destroyForcibly);
            other.destroyForcibly();
        }
    }
}
