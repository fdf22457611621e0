package polygrok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With real processes: `polygrok` started without the vector module re-launches itself as a worker;
 * killing the launcher outright (SIGKILL, no hook runs) must end the worker promptly, and it must
 * write nothing more into the run.
 */
class ProcessLifetimeTest {
    static final String LONG_RUN = """
            {"name": "long", "p": 11, "ops": ["add"], "train_fraction": 0.6,
             "model": {"d_model": 16, "num_heads": 2, "d_mlp": 32},
             "epochs": 1000000, "eval_every": 1, "checkpoint_every": 20, "backend": "cpuref"}""";

    static Process launch(Path dir, String... args) throws IOException {
        return launch(dir, dir.resolve("out-" + System.nanoTime() + ".log"), args);
    }

    static Process launch(Path dir, Path log, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "polygrok.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    static void waitFor(java.util.function.BooleanSupplier condition, long seconds, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void killingTheLauncherOutrightEndsTheWorker(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("long.json"), LONG_RUN);
        Process launcher = launch(dir, "train", "long.json", "--out", "runs");
        Path metrics = dir.resolve("runs/long/seed_0/metrics.jsonl");
        try {
            waitFor(() -> Files.exists(metrics) && launcher.descendants().findAny().isPresent(), 60, "the worker to start training");
            ProcessHandle worker = launcher.descendants().findFirst().orElseThrow();
            launcher.destroyForcibly(); // SIGKILL: the launcher's shutdown hook never runs
            assertTrue(launcher.waitFor(10, TimeUnit.SECONDS), "the launcher should be gone");
            waitFor(() -> !worker.isAlive(), 10, "the orphaned worker (pid " + worker.pid() + ") to stop");
            long size = Files.size(metrics);
            Thread.sleep(600);
            assertEquals(size, Files.size(metrics), "nothing is written after the worker stopped");
        } finally {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
    }

    @Test
    void aWorkerWhoseLauncherIsAlreadyGoneDoesNotStart() {
        assertFalse(LauncherWatch.alive(Long.MAX_VALUE / 2, java.util.Optional.empty()), "no such pid");
        ProcessHandle self = ProcessHandle.current();
        assertTrue(LauncherWatch.alive(self.pid(), self.info().startInstant()), "this JVM is alive");
        assertFalse(LauncherWatch.alive(self.pid(), self.info().startInstant().map(i -> i.minusSeconds(5))),
                "the same pid with another start time is another process");
    }

    @Test
    void aSecondWriterIsRefusedAndAKilledWritersLockIsTakenOver(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("long.json"), LONG_RUN);
        Process first = launch(dir, "train", "long.json", "--out", "runs");
        Path run = dir.resolve("runs/long/seed_0");
        try {
            waitFor(() -> Files.exists(run.resolve("checkpoints/epoch_20.safetensors")), 60, "the first writer's first checkpoint");
            Path secondLog = dir.resolve("second.log");
            Process second = launch(dir, secondLog, "train", "long.json", "--out", "runs", "--resume");
            assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the second writer should be refused at once");
            String said = Files.readString(secondLog);
            assertEquals(2, second.exitValue(), said);
            assertTrue(said.contains("is in use by pid") && said.contains("on this host"), said);
            ProcessHandle worker = first.descendants().findFirst().orElseThrow();
            first.destroyForcibly();
            waitFor(() -> !worker.isAlive(), 10, "the first writer's worker to stop");
            int latest = polygrok.train.RunDirectory.epochOf(new polygrok.train.RunDirectory(run).latestEpochCheckpoint().orElseThrow());
            Path thirdLog = dir.resolve("third.log");
            Process third = launch(dir, thirdLog, "train", "long.json", "--out", "runs", "--resume", "--epochs", Integer.toString(latest + 15));
            assertTrue(third.waitFor(120, TimeUnit.SECONDS), "the resumed run should finish");
            assertEquals(0, third.exitValue(), "the killed writer's lock is taken over: " + Files.readString(thirdLog));
            List<Integer> epochs = Files.readAllLines(run.resolve("metrics.jsonl")).stream()
                    .map(l -> com.google.gson.JsonParser.parseString(l).getAsJsonObject().get("epoch").getAsInt()).toList();
            for (int i = 0; i < epochs.size(); i++) {
                assertEquals(i, epochs.get(i), "one line per epoch, in order, no writer's lines twice: " + epochs);
            }
            assertEquals(latest + 15, epochs.size());
        } finally {
            first.descendants().forEach(ProcessHandle::destroyForcibly);
            first.destroyForcibly();
        }
    }

    /**
     * SIGTERM (what Slurm's warning signal and a plain kill send) to a sweep's launcher: the sweep ends
     * its epoch, writes checkpoints, reports the run as interrupted and writes table.csv before the
     * JVMs exit. The report and the table used to race the JVM's halt once the checkpoints were written.
     */
    @Test
    void aTerminatedSweepReportsAndWritesItsTableBeforeExiting(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("long.json"), LONG_RUN);
        Files.writeString(dir.resolve("sweep.json"), "{\"name\": \"long_sweep\", \"base\": \"long.json\", \"axes\": {\"seeds\": [0]}}");
        Path log = dir.resolve("sweep.log");
        Process launcher = launch(dir, log, "sweep", "sweep.json", "--out", "runs");
        Path run = dir.resolve("runs/long_sweep/long/seed_0");
        try {
            waitFor(() -> Files.exists(run.resolve("checkpoints/epoch_20.safetensors")), 60, "the sweep's first checkpoint");
            launcher.destroy(); // SIGTERM to the launcher; it passes the stop on to its worker and waits
            assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "the sweep should stop within a minute of SIGTERM");
            String said = Files.readString(log);
            assertTrue(said.contains("long/seed_0: interrupted"), "the run is reported as interrupted:\n" + said);
            assertTrue(said.contains("sweep interrupted; checkpoints are written"), said);
            assertTrue(Files.exists(dir.resolve("runs/long_sweep/table.csv")), "table.csv is written before the JVM exits:\n" + said);
            assertFalse(Files.exists(run.resolve("summary.json")), "an interrupted run has not ended");
        } finally {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
    }
}
