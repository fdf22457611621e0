package polygrok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With real processes: a worker whose launcher is killed outright writes nothing more into its run,
 * not even in the moment before its watcher thread would have noticed. The worker is frozen (SIGSTOP)
 * while the launcher is killed and thawed (SIGCONT) once the launcher is gone, so everything it
 * does afterwards happens with the launcher certainly dead; a run that writes a checkpoint and a
 * metrics line every epoch would show any write at once.
 */
class OrphanedWorkerWritesNothingTest {
    static final String EVERY_EPOCH = """
            {"name": "busy", "p": 11, "ops": ["add"], "train_fraction": 0.6,
             "model": {"d_model": 16, "num_heads": 2, "d_mlp": 32},
             "epochs": 1000000, "eval_every": 1, "checkpoint_every": 1, "backend": "cpuref"}""";

    @Test
    void aWorkerThawedAfterItsLauncherDiedWritesNothingAndExits(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("busy.json"), EVERY_EPOCH);
        Process launcher = ProcessLifetimeTest.launch(dir, "train", "busy.json", "--out", "runs");
        Path run = dir.resolve("runs/busy/seed_0");
        try {
            ProcessLifetimeTest.waitFor(() -> Files.exists(run.resolve("checkpoints/epoch_5.safetensors"))
                    && launcher.descendants().findAny().isPresent(), 60, "the worker to write checkpoints every epoch");
            ProcessHandle worker = launcher.descendants().findFirst().orElseThrow();
            signal("STOP", worker.pid());
            ProcessLifetimeTest.waitFor(() -> stopped(worker.pid()), 10, "the worker to be frozen");
            Map<String, Long> before = visibleFiles(run);
            launcher.destroyForcibly(); // SIGKILL: the launcher can pass nothing on
            assertTrue(launcher.waitFor(10, TimeUnit.SECONDS), "the launcher should be gone");
            signal("CONT", worker.pid());
            ProcessLifetimeTest.waitFor(() -> !worker.isAlive(), 10, "the orphaned worker (pid " + worker.pid() + ") to stop");
            assertEquals(before, visibleFiles(run), "the worker wrote nothing after its launcher died");
        } finally {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
    }

    /** Every file of the run by path and size, leaving out the temporary files of a write that never took its name. */
    static Map<String, Long> visibleFiles(Path run) throws IOException {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(run)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p) && !(name.startsWith(".") && name.endsWith(".tmp"))) {
                    files.put(run.relativize(p).toString(), Files.size(p));
                }
            }
        }
        return files;
    }

    static void signal(String name, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + name + " " + pid);
    }

    /** Whether the process is in state T (stopped), from /proc. */
    static boolean stopped(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
        } catch (IOException e) {
            return false;
        }
    }
}
