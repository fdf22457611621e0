package polygrok.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.io.DirectoryLock;

/** `polygrok status`: each run's state from its files and its lock, its pace, and the count by state. */
class StatusTableTest {
    @TempDir
    Path tmp;

    /** A run directory with a budget, eval lines every 10 epochs 1 s apart, and a summary when it ended. */
    private Path run(String name, int budget, double[] testAcc, boolean ended) throws IOException {
        // a sweep with stages writes OUT/<sweep>/<stage>/<point>/seed_<s>: four levels below OUT
        Path dir = tmp.resolve("out").resolve("sweep").resolve("stage").resolve(name).resolve("seed_0");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{\"name\": \"" + name + "\", \"ops\": [\"add\"], \"epochs\": " + budget + "}");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < testAcc.length; i++) {
            lines.append(String.format(java.util.Locale.ROOT, "{\"epoch\": %d, \"wall_s\": %d.0, \"test_acc\": %s}%n", 10 * i, i, testAcc[i]));
        }
        Files.writeString(dir.resolve("metrics.jsonl"), lines.toString());
        if (ended) {
            Files.writeString(dir.resolve("summary.json"), "{\"name\": \"" + name + "/seed_0\"}");
        }
        return dir;
    }

    @Test
    void eachRunSaysWhetherItTrainsEndedOrStoppedAndHowFastItGoes() throws IOException {
        run("grokked", 100, new double[]{0.1, 0.5, 0.995}, true);
        Path training = run("training", 1000, new double[]{0.01, 0.02, 0.05, 0.2}, false);
        Path stoppedDir = run("stopped", 1000, new double[]{0.01, 0.03}, false);
        run("never_checkpointed", 1000, new double[]{0.01}, false);
        // killed after its eval at 10, past its newest checkpoint at 5: a resume starts at 5
        Files.createDirectories(stoppedDir.resolve("checkpoints"));
        Files.writeString(stoppedDir.resolve("checkpoints/epoch_5.safetensors"), "");
        try (DirectoryLock lock = DirectoryLock.acquire(training, "a test that plays a trainer")) {
            List<RunStatus> runs = StatusTable.scan(List.of(tmp.resolve("out")));
            assertEquals(4, runs.size(), runs.toString());
            RunStatus grokked = find(runs, "grokked"), train = find(runs, "training"), stopped = find(runs, "stopped");
            assertEquals(RunStatus.State.ENDED, grokked.state());
            assertEquals(20, grokked.grokkedAt());
            assertEquals(RunStatus.State.TRAINING, train.state());
            assertTrue(train.holder().contains("pid " + ProcessHandle.current().pid()), train.holder());
            assertEquals(30, train.epoch());
            assertEquals(10.0, train.epochsPerSecond(), 1e-12, "10 epochs per second of wall time");
            assertEquals((1000 - 1 - 30) / 10.0, train.secondsToBudget(), 1e-9, "the last epoch is budget - 1");
            assertEquals(RunStatus.State.STOPPED, stopped.state());
            assertTrue(Double.isNaN(stopped.secondsToBudget()), "a stopped run has no time to its budget");
            assertEquals(5, stopped.resumesAt(), "its newest checkpoint, not its last eval line");

            List<String> lines = StatusTable.render(runs);
            String all = String.join("\n", lines);
            assertTrue(all.contains("grokked at 20"), all);
            assertTrue(all.contains("training (pid " + ProcessHandle.current().pid() + ")"), all);
            assertTrue(all.contains("stopped (resumes at 5)") && all.contains("stopped (starts over)"), all);
            assertTrue(all.contains("30 / 1,000") && all.contains("20.0% (20.0%)") && all.contains("96.9 s"), all);
            assertEquals("4 run(s): 1 training, 1 ended, 2 stopped part-way; 1 reached 99% test accuracy", lines.get(lines.size() - 1));
        }
    }

    private static RunStatus find(List<RunStatus> runs, String name) {
        return runs.stream().filter(r -> r.label().equals("sweep/stage/" + name + "/seed_0")).findFirst().orElseThrow(() -> new AssertionError(name + " in " + runs));
    }
}
