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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With real processes: a worker whose launcher is killed outright writes nothing more into its run,
 * not even in the moment before its watcher thread would have noticed. The worker is frozen (SIGSTOP)
 * while the launcher is killed, and must be dead before it is thawed (SIGCONT): the kernel ends it, so
 * nothing it would have done afterwards happens; a run that writes a checkpoint and a metrics line every
 * epoch would show any write at once.
 *
 * <p>The freeze can land anywhere, also between the check before a write and the write itself; only the
 * kernel's parent-death signal ({@link ParentDeathSignal}) closes that window (with the checks alone, 1 of 40
 * repeated runs of the earlier form of this test, which thawed the worker, found one metrics line more on a
 * loaded 2-core machine). Where the signal cannot be set, the test is skipped.
 */
class OrphanedWorkerWritesNothingTest {
    static final String EVERY_EPOCH = """
            {"name": "busy", "p": 11, "ops": ["add"], "train_fraction": 0.6,
             "model": {"d_model": 16, "num_heads": 2, "d_mlp": 32},
             "epochs": 1000000, "eval_every": 1, "checkpoint_every": 1, "backend": "cpuref"}""";

    @Test
    void aFrozenWorkerDiesWithItsLauncherAndWritesNothingMore(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(ParentDeathSignal.prefix().isEmpty(),
                "no setpriv with --pdeathsig (util-linux 2.33+) on the PATH: the worker relies on its checks alone");
        Files.writeString(dir.resolve("busy.json"), EVERY_EPOCH);
        Process launcher = ProcessLifetimeTest.launch(dir, "train", "busy.json", "--out", "runs");
        Path run = dir.resolve("runs/busy/seed_0");
        java.util.List<ProcessHandle> workers = new java.util.ArrayList<>();
        try {
            ProcessLifetimeTest.waitFor(() -> Files.exists(run.resolve("checkpoints/epoch_5.safetensors"))
                    && launcher.descendants().findAny().isPresent(), 60, "the worker to write checkpoints every epoch");
            ProcessHandle worker = launcher.descendants().findFirst().orElseThrow();
            workers.add(worker); // once the launcher is gone it has no descendants to clean up
            assertEquals(0, signal("STOP", worker.pid()), "kill -STOP " + worker.pid());
            ProcessLifetimeTest.waitFor(() -> stopped(worker.pid()), 10, "the worker to be frozen");
            Map<String, Long> before = visibleFiles(run);
            launcher.destroyForcibly(); // SIGKILL: the launcher can pass nothing on
            assertTrue(launcher.waitFor(10, TimeUnit.SECONDS), "the launcher should be gone");
            // still frozen, the worker cannot run a check of its own: only the kernel's signal can end it now
            // (a stopped process dies of SIGKILL too), and it must, before anything is thawed
            ProcessLifetimeTest.waitFor(() -> !worker.isAlive(), 10, "the frozen worker (pid " + worker.pid() + ") to be killed by the kernel");
            signal("CONT", worker.pid()); // nothing to thaw; fails quietly on a pid that is gone
            assertEquals(before, visibleFiles(run), "the worker wrote nothing after its launcher died");
        } finally {
            workers.forEach(ProcessHandle::destroyForcibly); // SIGKILL ends a frozen worker too
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

    /** The exit code of {@code kill -NAME pid}. */
    static int signal(String name, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return kill.waitFor();
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
