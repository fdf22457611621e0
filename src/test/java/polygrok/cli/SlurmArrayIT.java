package polygrok.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.io.SafeTensor;
import polygrok.io.Safetensors;
import polygrok.io.SafetensorsFile;

/**
 * configs/cluster/slurm-array.sh under a real (one-node) Slurm: a sweep of three runs as an array of
 * three tasks; task 0 is sent TERM mid-run, as Slurm's time-limit warning ({@code --signal=B:TERM@...},
 * which the script asks for) would send it; the same array submitted again then finishes it. Every
 * run must end exactly once and equal, metrics line by metrics line and weight by weight, the same
 * sweep run by one process on this machine; the table.csv the array leaves must be the complete one.
 *
 * <p>The test sends the warning itself ({@code scancel --batch --signal=TERM}, the same signal to the
 * same batch shell) once task 0 has logged training epochs. Slurm checks time limits only every
 * few tens of seconds and documents that the warning may come up to a minute early, so a short limit
 * could cut task 0 while its JVM was still starting, before it trains at all, on a busy machine.
 *
 * <p>Runs against target/polygrok.jar after {@code package}. Without a Slurm that takes jobs it is
 * skipped, saying how to start one ({@code .ci/run} does, as root).
 */
class SlurmArrayIT {
    static final Path JAR = Path.of("target/polygrok.jar").toAbsolutePath();
    static final Path SCRIPT = Path.of("configs/cluster/slurm-array.sh").toAbsolutePath();
    static final Path ONE_NODE = Path.of("configs/cluster/one-node-slurm.sh").toAbsolutePath();

    /**
     * Three points, one per array task (models_per_launch 1; task i trains group i). Train fractions
     * 0.8 and 0.9 grok and stop within ~1,500 epochs (seconds); 0.1 never groks and runs its whole
     * budget of 40,000 epochs (about a minute here), so task 0 is still training when its TERM comes
     * (after its first {@link #TRAINED_BEFORE_TERM} epochs).
     */
    static final String SWEEP = """
            {"name": "slurm_quick",
             "base": {"p": 31, "ops": ["add"], "train_fraction": 0.3,
                      "model": {"d_model": 64, "num_layers": 1, "num_heads": 4, "d_mlp": 256},
                      "optimizer": {"lr": 0.001, "weight_decay": 1.0, "betas": [0.9, 0.98]},
                      "epochs": 40000, "eval_every": 500, "checkpoint_every": 5000, "seeds": [0],
                      "stop_test_acc": 0.99, "backend": "cpu"},
             "axes": {"train_fraction": [0.1, 0.8, 0.9]},
             "models_per_launch": 1}""";
    static final List<String> RUNS = List.of("slurm_quick_f0.1/seed_0", "slurm_quick_f0.8/seed_0", "slurm_quick_f0.9/seed_0");
    static final String CUT_RUN = RUNS.get(0);
    /** Task 0 is sent TERM once its metrics reach this epoch (two evals), well inside its 40,000. */
    static final int TRAINED_BEFORE_TERM = 1000;

    @BeforeAll
    static void slurmTakesJobs() throws Exception {
        assumeTrue(Files.isRegularFile(JAR), "target/polygrok.jar is missing: this test runs after `mvn package` (mvn verify)");
        assumeTrue(exitCode(List.of("bash", ONE_NODE.toString(), "status")) == 0,
                "no Slurm that takes jobs on this host: as root, `apt-get install slurm-wlm munge` and"
                        + " `configs/cluster/one-node-slurm.sh start` (.ci/run does both)");
    }

    @Test
    void anArrayTaskWarnedMidRunAndResubmittedEqualsOneProcess(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("sweep.json"), SWEEP);
        Files.createDirectories(dir.resolve("logs"));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process oneProcess = new ProcessBuilder(java, "-jar", JAR.toString(), "sweep", "sweep.json", "--out", "one-process")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("one-process.log").toFile()).start();
        try {
            // Round 1: task 0 gets the batch-shell TERM of a time-limit warning once it is training.
            String first = sbatch(dir);
            Path sweep = dir.resolve("slurm/slurm_quick");
            Path cut = sweep.resolve(CUT_RUN);
            waitForEpoch(dir, cut, TRAINED_BEFORE_TERM, 300);
            run(dir, "scancel", "--batch", "--signal=TERM", first + "_0");
            waitForJob(dir, first, 300);

            String cutLog = Files.readString(dir.resolve("logs/slurm-" + first + "_0.out"));
            assertFalse(Files.exists(cut.resolve("summary.json")), "task 0 should have been cut before finishing; its log:\n" + cutLog);
            assertTrue(cutLog.contains(CUT_RUN + ": interrupted"), "task 0 should say its run was interrupted; its log:\n" + cutLog);
            int cutAt = lastEpoch(cut);
            System.out.printf("task 0 was cut after epoch %d of 40000%n", cutAt);
            Map<String, FileTime> endedOnce = Map.of(
                    RUNS.get(1), Files.getLastModifiedTime(sweep.resolve(RUNS.get(1)).resolve("summary.json")),
                    RUNS.get(2), Files.getLastModifiedTime(sweep.resolve(RUNS.get(2)).resolve("summary.json")));

            // Round 2: the same array again, every task with the long limit.
            String second = sbatch(dir);
            waitForJob(dir, second, 300);
            assertTrue(oneProcess.waitFor(300, TimeUnit.SECONDS), "the one-process sweep did not end in 5 minutes");
            assertEquals(0, oneProcess.exitValue(), "the one-process sweep failed:\n" + Files.readString(dir.resolve("one-process.log")));

            String logs = allLogs(dir.resolve("logs"));
            for (String runName : RUNS) {
                Path slurmRun = sweep.resolve(runName);
                Path reference = dir.resolve("one-process/slurm_quick").resolve(runName);
                assertTrue(Files.exists(slurmRun.resolve("summary.json")), runName + " has no summary after the resubmission:\n" + logs);
                assertEquals(1, occurrences(logs, runName + ": done"), runName + " should be reported done exactly once:\n" + logs);
                assertMetricsEqual(runName, reference.resolve("metrics.jsonl"), slurmRun.resolve("metrics.jsonl"));
                assertEquals(withoutWallTime(readJson(reference.resolve("summary.json"))), withoutWallTime(readJson(slurmRun.resolve("summary.json"))),
                        runName + ": summary.json differs from the one-process run's (wall times aside)");
                assertWeightsEqual(runName, reference.resolve("checkpoints/final.safetensors"), slurmRun.resolve("checkpoints/final.safetensors"));
            }
            endedOnce.forEach((runName, written) -> {
                try {
                    assertEquals(written, Files.getLastModifiedTime(sweep.resolve(runName).resolve("summary.json")),
                            runName + " ended in round 1; the resubmission must not write its summary again");
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals(Files.readString(dir.resolve("one-process/slurm_quick/table.csv")), Files.readString(sweep.resolve("table.csv")),
                    "the array's table.csv should be the complete table, equal to the one-process sweep's");
        } finally {
            oneProcess.destroyForcibly();
        }
    }

    /** Submits slurm-array.sh on the sweep as an array of 3 tasks with a 10-minute limit; returns the job id. */
    private static String sbatch(Path dir) throws Exception {
        List<String> cmd = List.of("sbatch", "--parsable", "--array=0-2", "--time=10", "--cpus-per-task=1", "--mem=2G",
                "--output=logs/slurm-%A_%a.out", SCRIPT.toString(), "sweep.json", "slurm");
        // sbatch hands its environment to the job: the script finds the jar and heap size there.
        String out = run(dir, Map.of("POLYGROK_JAR", JAR.toString(), "POLYGROK_JAVA_OPTS", "-Xmx1g"), cmd.toArray(String[]::new)).trim();
        return out.contains(";") ? out.substring(0, out.indexOf(';')) : out;
    }

    /** Waits until the run's metrics.jsonl has a line at or past {@code epoch}. */
    private static void waitForEpoch(Path dir, Path run, int epoch, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            try {
                if (Files.isRegularFile(run.resolve("metrics.jsonl")) && lastEpoch(run) >= epoch) {
                    return;
                }
            } catch (com.google.gson.JsonParseException lineBeingWritten) {
                // the last line is still being appended; read it again on the next poll
            }
            Thread.sleep(500);
        }
        fail(run.getFileName() + " did not reach epoch " + epoch + " in " + seconds + " s; logs:\n" + allLogs(dir.resolve("logs")));
    }

    /** Waits until squeue lists no task of the job (ended, in any way). */
    private static void waitForJob(Path dir, String job, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            ProcessBuilder pb = new ProcessBuilder("squeue", "-h", "-j", job, "-o", "%i %T").directory(dir.toFile()).redirectErrorStream(true);
            Process p = pb.start();
            String listed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            if (listed.isEmpty() || listed.contains("Invalid job id")) {
                return;
            }
            System.out.printf("%tT job %s: %s%n", System.currentTimeMillis(), job, listed.replace('\n', ' '));
            Thread.sleep(1000);
        }
        run(dir, "scancel", job);
        fail("Slurm job " + job + " did not end in " + seconds + " s; logs:\n" + allLogs(dir.resolve("logs")));
    }

    private static void assertMetricsEqual(String runName, Path expected, Path actual) throws IOException {
        List<String> want = Files.readAllLines(expected);
        List<String> got = Files.readAllLines(actual);
        int previous = -1;
        for (String line : got) {
            int epoch = JsonParser.parseString(line).getAsJsonObject().get("epoch").getAsInt();
            assertTrue(epoch > previous, runName + ": metrics.jsonl has epoch " + epoch + " after " + previous + " (an epoch logged twice?)");
            previous = epoch;
        }
        assertEquals(want.size(), got.size(), runName + ": metrics.jsonl line count differs from the one-process run's");
        for (int i = 0; i < want.size(); i++) {
            assertEquals(withoutWallTime(JsonParser.parseString(want.get(i))), withoutWallTime(JsonParser.parseString(got.get(i))),
                    runName + ": metrics.jsonl line " + (i + 1) + " differs from the one-process run's (wall times aside)");
        }
    }

    private static void assertWeightsEqual(String runName, Path expected, Path actual) throws IOException {
        SafetensorsFile want = Safetensors.read(expected);
        SafetensorsFile got = Safetensors.read(actual);
        assertEquals(want.tensors().keySet(), got.tensors().keySet(), runName + ": final checkpoint tensor names");
        for (Map.Entry<String, SafeTensor> e : want.tensors().entrySet()) {
            double[] w = e.getValue().values();
            double[] g = got.tensors().get(e.getKey()).values();
            assertArrayEquals(w, g, runName + ": final checkpoint tensor " + e.getKey() + " differs from the one-process run's");
        }
        assertEquals(want.metadata().get("epoch"), got.metadata().get("epoch"), runName + ": final checkpoint epoch");
    }

    /** A copy with every "wall_s" member removed, at any depth: the one thing two runs of the same work may differ in. */
    private static JsonElement withoutWallTime(JsonElement e) {
        if (e.isJsonObject()) {
            JsonObject copy = new JsonObject();
            for (Map.Entry<String, JsonElement> m : e.getAsJsonObject().entrySet()) {
                if (!m.getKey().equals("wall_s")) {
                    copy.add(m.getKey(), withoutWallTime(m.getValue()));
                }
            }
            return copy;
        }
        return e;
    }

    private static int lastEpoch(Path run) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        return lines.isEmpty() ? -1 : JsonParser.parseString(lines.get(lines.size() - 1)).getAsJsonObject().get("epoch").getAsInt();
    }

    private static JsonElement readJson(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file));
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static String allLogs(Path logs) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : files.sorted().toList()) {
                sb.append("== ").append(f.getFileName()).append('\n').append(Files.readString(f));
            }
        }
        return sb.toString();
    }

    private static String run(Path dir, String... cmd) throws Exception {
        return run(dir, Map.of(), cmd);
    }

    private static String run(Path dir, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    private static int exitCode(List<String> cmd) throws Exception {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException notThere) {
            return -1;
        }
    }
}
