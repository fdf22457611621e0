package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.config.ConfigLoader;
import polygrok.config.ConfigException;
import polygrok.config.ExperimentConfig;
import polygrok.io.SafeDType;
import polygrok.model.ModelSpec;

/**
 * checkpoint_minutes: a process killed between two epoch checkpoints loses at most that much
 * training. The kill is a listener that throws at an eval epoch, so nothing after it is written,
 * as with SIGKILL; the run then resumes from its resume point with the bits of a run never stopped.
 */
class ResumePointTest {
    /** A resume point after every epoch (the interval is 60 ns) and no epoch checkpoints between init and final. */
    static final String EVERY_EPOCH = """
            {"name": "tiny", "p": 11, "ops": ["add"], "train_fraction": 0.6,
             "model": {"d_model": 16, "num_heads": 2, "d_mlp": 32},
             "optimizer": {"lr": 0.01}, "epochs": 30, "eval_every": 5, "checkpoint_every": 0,
             "checkpoint_minutes": 1e-9, "seeds": [1], "backend": "cpuref"}""";

    private static final class Killed extends RuntimeException {
        Killed() {
            super("killed");
        }
    }

    /** Trains on cpuref; with {@code killAtEval} >= 0 the process "dies" when that epoch's metrics are due. */
    static void train(ExperimentConfig c, Path out, boolean resume, int killAtEval, List<String> messages) throws IOException {
        ModelSpec spec = Experiments.modelSpec(c, Experiments.firstSplit(c));
        Trainer.Plan plan = Experiments.plan(c, spec, InitialWeights.FRESH, resume, SafeDType.F64);
        Trainer.Listener listener = new Trainer.Listener() {
            @Override
            public void evaluated(int epoch, List<Trainer.Run> runs, List<MetricsLine> lines) {
                if (epoch == killAtEval) {
                    throw new Killed();
                }
            }

            @Override
            public void message(String text) {
                messages.add(text);
            }
        };
        new Trainer(new CpuRefBackend(), plan, Experiments.runs(c, out, InitialWeights.FRESH), listener, null, null).train();
    }

    static List<String> checkpointNames(RunDirectory dir) throws IOException {
        try (Stream<Path> files = Files.list(dir.checkpointDir())) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aKilledRunKeepsOneResumePointAndContinuesFromItWithTheSameBits(@TempDir Path whole, @TempDir Path killed) throws IOException {
        ExperimentConfig c = ConfigLoader.parse(EVERY_EPOCH, "tiny.json");
        train(c, whole, false, -1, new ArrayList<>());
        RunDirectory wholeDir = Experiments.runDirectory(whole, c, 1);
        assertEquals(List.of("final.safetensors", "init.safetensors"), checkpointNames(wholeDir),
                "an ended run keeps no resume point");

        assertThrows(Killed.class, () -> train(c, killed, false, 20, new ArrayList<>()));
        RunDirectory dir = Experiments.runDirectory(killed, c, 1);
        assertEquals(List.of("init.safetensors", "resume_epoch_20.safetensors"), checkpointNames(dir),
                "killed at epoch 20: the resume point after 20 epochs, and only that one");

        List<String> messages = new ArrayList<>();
        train(c, killed, true, -1, messages);
        assertTrue(messages.stream().anyMatch(m -> m.contains("from epoch 20")), messages.toString());
        assertEquals(List.of("final.safetensors", "init.safetensors"), checkpointNames(dir));
        assertEquals(TrainerTest.metricsWithoutWallTime(wholeDir.metricsFile()), TrainerTest.metricsWithoutWallTime(dir.metricsFile()),
                "every metrics line as in the run never killed");
        ModelState a = Checkpoints.read(wholeDir.checkpoint("final"), TrainerStopTest.layout(c));
        ModelState b = Checkpoints.read(dir.checkpoint("final"), TrainerStopTest.layout(c));
        for (var e : a.params().entrySet()) {
            assertArrayEquals(e.getValue(), b.params().get(e.getKey()), "final " + e.getKey());
            assertArrayEquals(a.moment2().get(e.getKey()), b.moment2().get(e.getKey()), "final opt.v." + e.getKey());
        }
    }

    @Test
    void resumePointsLeaveTheEpochCheckpointSeriesAsItWas(@TempDir Path with, @TempDir Path without) throws IOException {
        String series = EVERY_EPOCH.replace("\"checkpoint_every\": 0", "\"checkpoint_every\": 10");
        ExperimentConfig c = ConfigLoader.parse(series, "tiny.json");
        ExperimentConfig off = ConfigLoader.parse(series.replace("1e-9", "0"), "tiny.json");
        assertThrows(Killed.class, () -> train(c, with, false, 25, new ArrayList<>()));
        assertThrows(Killed.class, () -> train(off, without, false, 25, new ArrayList<>()));
        assertEquals(List.of("epoch_10.safetensors", "epoch_20.safetensors", "init.safetensors", "resume_epoch_25.safetensors"),
                checkpointNames(Experiments.runDirectory(with, c, 1)));
        assertEquals(List.of("epoch_10.safetensors", "epoch_20.safetensors", "init.safetensors"),
                checkpointNames(Experiments.runDirectory(without, off, 1)), "checkpoint_minutes 0: no resume points");
        RunDirectory dir = Experiments.runDirectory(with, c, 1);
        assertEquals(25, RunDirectory.epochOf(dir.latestEpochCheckpoint().orElseThrow()), "the resume point is the newest");
    }

    @Test
    void aNegativeOrInfiniteIntervalIsRefusedNamingTheField() {
        for (String bad : List.of("-1", "1e400")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ConfigLoader.parse(EVERY_EPOCH.replace("1e-9", bad), "tiny.json"));
            assertTrue(e.getMessage().contains("checkpoint_minutes") && e.getMessage().contains(">= 0"), e.getMessage());
        }
    }

    @Test
    void theDefaultIsFiveMinutesAndAResumeMayChangeIt() {
        assertEquals(5, ExperimentConfig.defaults("x", List.of("add")).checkpointMinutes());
        assertTrue(ResumeCheck.MAY_CHANGE.contains("checkpoint_minutes"));
    }
}
