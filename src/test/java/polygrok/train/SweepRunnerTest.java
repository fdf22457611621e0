package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.backend.Backend;
import polygrok.backend.select.Backends;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.config.SweepConfig;
import polygrok.config.SweepLoader;

/**
 * Sweeps on cpuref: a group on one model axis gives, bit for bit, what its runs give alone; a
 * killed sweep resumes to the same bits; finished runs are skipped.
 */
class SweepRunnerTest {
    /** 2 learning rates x 2 seeds = 4 runs of one shape; eval every 5, checkpoints every 10. */
    static final String SWEEP = """
            {"name": "tiny_sweep",
             "base": {"p": 7, "ops": ["add"], "train_fraction": 0.6,
                      "model": {"d_model": 8, "num_heads": 2, "d_mlp": 16},
                      "optimizer": {"lr": 0.01}, "epochs": 20, "eval_every": 5, "checkpoint_every": 10,
                      "backend": "cpuref"},
             "axes": {"lr": [0.01, 0.003], "seeds": [1, 2]}}""";

    static SweepConfig sweep() {
        return SweepLoader.parse(SWEEP, "tiny_sweep.json", null);
    }

    static List<SweepRunner.GroupOutcome> run(Path dir, int m, AtomicBoolean stop, int stopAtEpoch) throws IOException {
        return run(new CpuRefBackend(), dir, m, stop, stopAtEpoch);
    }

    static List<SweepRunner.GroupOutcome> run(Backend backend, Path dir, int m, AtomicBoolean stop, int stopAtEpoch) throws IOException {
        List<RunGroup> groups = SweepGroups.of(sweep().points(), dir, m);
        SweepRunner runner = new SweepRunner(backend, (g, runs, epoch) -> new Trainer.Listener() {
            @Override
            public void evaluated(int e, List<Trainer.Run> r, List<MetricsLine> lines) {
                if (e == stopAtEpoch) {
                    stop.set(true); // as Ctrl-C does
                }
            }

            @Override
            public void message(String text) {
            }
        }, null, stop, line -> { });
        return runner.run(groups);
    }

    static List<String> runNames() {
        return SweepGroups.runs(sweep().points(), Path.of("x")).stream().map(SweepRun::name).toList();
    }

    static void assertSameRuns(Path expectedDir, Path actualDir, String what) throws IOException {
        for (String name : runNames()) {
            Path e = expectedDir.resolve(name), a = actualDir.resolve(name);
            List<String> em = TrainerTest.metricsWithoutWallTime(e.resolve("metrics.jsonl"));
            List<String> am = TrainerTest.metricsWithoutWallTime(a.resolve("metrics.jsonl"));
            assertEquals(em.size(), am.size(), what + ": " + name + " metrics line count");
            for (int i = 0; i < em.size(); i++) {
                assertEquals(em.get(i), am.get(i), what + ": " + name + " metrics line " + i);
            }
            var layout = Experiments.layout(sweep().points().get(0).config());
            ModelState ef = Checkpoints.read(e.resolve("checkpoints/final.safetensors"), layout);
            ModelState af = Checkpoints.read(a.resolve("checkpoints/final.safetensors"), layout);
            for (String p : ef.params().keySet()) {
                assertArrayEquals(ef.params().get(p), af.params().get(p), 0.0, what + ": " + name + " final " + p);
            }
            assertTrue(Files.exists(a.resolve("summary.json")), what + ": " + name + " has no summary.json");
        }
    }

    @Test
    void aGroupOfFourGivesTheSameBitsAsTheFourRunsOneByOne(@TempDir Path grouped, @TempDir Path alone) throws IOException {
        List<SweepRunner.GroupOutcome> four = run(grouped, 4, new AtomicBoolean(), -1);
        assertEquals(1, four.size(), "4 runs of one shape with M = 4 make one group");
        assertEquals(4, four.get(0).results().size());
        List<SweepRunner.GroupOutcome> single = run(alone, 1, new AtomicBoolean(), -1);
        assertEquals(4, single.size(), "M = 1 makes one group per run");
        assertSameRuns(alone, grouped, "group of 4 vs one by one");
        assertTrue(runNames().contains("tiny_sweep_lr3e-3/seed_2"), "readable names: " + runNames());
    }

    /**
     * The float32 cpu backend: each model's slice of every op is computed by the same code in the
     * same order whatever M is (the model axis is an outer loop; no reduction runs across models),
     * so a group must give the same bits as its runs alone.
     */
    @Test
    void onTheCpuBackendAGroupOfFourGivesTheSameBitsAsTheFourRunsOneByOne(@TempDir Path grouped, @TempDir Path alone) throws IOException {
        try (Backend be = Backends.create("cpu", line -> { })) {
            run(be, grouped, 4, new AtomicBoolean(), -1);
        }
        try (Backend be = Backends.create("cpu", line -> { })) {
            run(be, alone, 1, new AtomicBoolean(), -1);
        }
        assertSameRuns(alone, grouped, "cpu backend: group of 4 vs one by one");
    }

    @Test
    void aKilledSweepResumesToTheSameBitsAndSkipsFinishedRuns(@TempDir Path whole, @TempDir Path broken) throws IOException {
        run(whole, 4, new AtomicBoolean(), -1);
        AtomicBoolean stop = new AtomicBoolean();
        List<SweepRunner.GroupOutcome> first = run(broken, 4, stop, 5);
        assertTrue(first.get(0).results().stream().allMatch(RunResult::interrupted), "stopped at epoch 5");
        Path one = broken.resolve("tiny_sweep_lr0.01/seed_1");
        assertTrue(Files.exists(one.resolve("checkpoints/epoch_6.safetensors")), "a checkpoint is written on stop");
        assertFalse(Files.exists(one.resolve("summary.json")), "an interrupted run is not finished");

        List<SweepRunner.GroupOutcome> second = run(broken, 4, new AtomicBoolean(), -1);
        assertEquals(4, second.get(0).results().size(), "the four unfinished runs resume");
        assertSameRuns(whole, broken, "killed at epoch 5 and resumed");

        String summary = Files.readString(one.resolve("summary.json"));
        List<SweepRunner.GroupOutcome> third = run(broken, 4, new AtomicBoolean(), -1);
        assertEquals(0, third.get(0).results().size(), "nothing left to train");
        assertEquals(4, third.get(0).skipped().size(), "finished runs are skipped");
        assertEquals(summary, Files.readString(one.resolve("summary.json")), "a skipped run's files are untouched");
    }

    @Test
    void runsThatStoppedAtDifferentEpochsResumeInSubGroups(@TempDir Path whole, @TempDir Path mixed) throws IOException {
        run(whole, 4, new AtomicBoolean(), -1);
        // M = 2: the first group is killed at epoch 10; the second never starts
        AtomicBoolean stop = new AtomicBoolean();
        List<SweepRunner.GroupOutcome> first = run(mixed, 2, stop, 10);
        assertEquals(1, first.size(), "the sweep stops after the interrupted group");
        List<Integer> epochs = new ArrayList<>();
        for (String name : runNames()) {
            epochs.add(SweepRunner.resumeEpoch(new RunDirectory(mixed.resolve(name)), w -> { }));
        }
        assertEquals(List.of(11, 11, 0, 0), epochs, "runs of group 0 (lr 0.01, seeds 1 and 2) at epoch 11, of group 1 not started");
        // relaunched with M = 4: one group whose runs sit at two epochs
        List<SweepRunner.GroupOutcome> second = run(mixed, 4, new AtomicBoolean(), -1);
        assertEquals(4, second.get(0).results().size());
        assertSameRuns(whole, mixed, "resumed in sub-groups by epoch");
    }
}
