package polygrok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.io.DirectoryLock;

/**
 * With real processes: a `train` whose init checkpoint cannot be written (here the file size limit of
 * `ulimit -f`, which fails the write as a full disk does) says so in one line and leaves only its
 * config.json; the same command run again, without --resume or --overwrite, starts the run.
 */
class FailedStartIsNotInTheWayTest {
    static final String SHORT_RUN = """
            {"name": "short", "p": 11, "ops": ["add"], "train_fraction": 0.6,
             "model": {"d_model": 16, "num_heads": 2, "d_mlp": 32},
             "epochs": 8, "eval_every": 4, "checkpoint_every": 4, "backend": "cpuref"}""";

    @Test
    void aRunWhoseInitCheckpointCouldNotBeWrittenStartsWhenRunAgain(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("short.json"), SHORT_RUN);
        Path run = dir.resolve("runs/short/seed_0");
        Path firstLog = dir.resolve("first.log");
        // 40 KiB: config.json fits, the init checkpoint (63 KiB of float64 weights) does not
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "ulimit -f 40; exec \"$0\" \"$@\"", java, "-XX:-UsePerfData",
                "-cp", System.getProperty("java.class.path"), "polygrok.cli.Main", "train", "short.json", "--out", "runs"));
        Process first = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(firstLog.toFile()).start();
        assertTrue(first.waitFor(120, TimeUnit.SECONDS), "the failed start should end");
        String said = Files.readString(firstLog).strip();
        assertEquals(2, first.exitValue(), said);
        assertEquals(1, said.lines().count(), "one line:\n" + said);
        assertTrue(said.startsWith("polygrok: ") && said.contains("init.safetensors") && said.contains("run the same command again"), said);
        assertFalse(said.contains("Exception") || said.contains("\tat "), said);
        assertTrue(Files.exists(run.resolve("config.json")) && !Files.exists(run.resolve("checkpoints/init.safetensors")),
                "what a failed start leaves");
        try (DirectoryLock free = DirectoryLock.acquire(run, "run directory")) {
            assertTrue(Files.exists(free.file()), "the failed start's lock is free");
        }

        Path secondLog = dir.resolve("second.log");
        Process second = ProcessLifetimeTest.launch(dir, secondLog, "train", "short.json", "--out", "runs");
        assertTrue(second.waitFor(120, TimeUnit.SECONDS), "the run should train");
        assertEquals(0, second.exitValue(), "a run that never trained is not in the way: " + Files.readString(secondLog));
        assertTrue(Files.exists(run.resolve("summary.json")) && Files.exists(run.resolve("checkpoints/epoch_8.safetensors")));
    }
}
