package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;
import polygrok.io.DirectoryLock;
import polygrok.io.JsonFiles;
import polygrok.io.JsonLines;

/**
 * One writer per run, and no silent mixing of runs: an earlier run's files are refused (or replaced
 * when asked), a resume that would change the computation is refused, a damaged newest checkpoint is
 * passed over, and temporary files of a killed write are removed.
 */
class RunLifecycleTest {
    static final String TINY = """
            {"name": "tiny", "p": 11, "ops": ["add"], "train_fraction": 0.6,
             "model": {"d_model": 16, "num_heads": 2, "d_mlp": 32},
             "optimizer": {"lr": 0.01}, "epochs": 30, "eval_every": 5, "checkpoint_every": 10,
             "seeds": [1], "backend": "cpuref"}""";

    static ExperimentConfig tiny() {
        return ConfigLoader.parse(TINY, "tiny.json");
    }

    static List<RunResult> train(ExperimentConfig c, Path out, boolean resume, boolean overwrite, List<String> messages)
            throws IOException {
        return TrainerStopTest.train(c, out, resume, overwrite, messages);
    }

    @Test
    void aSecondWriterIsRefusedNamingTheHolder(@TempDir Path out) throws IOException {
        RunDirectory dir = Experiments.runDirectory(out, tiny(), 1);
        try (DirectoryLock held = dir.lock()) {
            IOException e = assertThrows(DirectoryLock.HeldException.class, () -> train(tiny(), out, false, false, new ArrayList<>()));
            assertTrue(e.getMessage().contains("is in use by pid " + ProcessHandle.current().pid() + " on this host")
                    && e.getMessage().contains("since"), e.getMessage());
            assertFalse(Files.exists(dir.metricsFile()), "the refused writer wrote nothing");
        }
        train(tiny(), out, false, false, new ArrayList<>()); // released: the next writer gets it
        assertTrue(dir.isFinished());
    }

    @Test
    void anEarlierRunIsRefusedUnlessReplacedOnPurpose(@TempDir Path out) throws IOException {
        train(tiny(), out, false, false, new ArrayList<>());
        RunDirectory dir = Experiments.runDirectory(out, tiny(), 1);
        assertTrue(Files.exists(dir.epochCheckpoint(20)));
        IOException refused = assertThrows(IOException.class, () -> train(tiny().withEpochs(15), out, false, false, new ArrayList<>()));
        assertTrue(refused.getMessage().contains("holds an earlier run (finished)") && refused.getMessage().contains("--resume")
                && refused.getMessage().contains("--out") && refused.getMessage().contains("--overwrite"), refused.getMessage());
        train(tiny().withEpochs(15), out, false, true, new ArrayList<>());
        assertFalse(Files.exists(dir.epochCheckpoint(20)), "--overwrite removes the earlier run's checkpoints");
        assertEquals(15, JsonFiles.readObjectIfPresent(dir.summaryFile()).get("epochs_run").getAsInt());
        assertEquals(List.of(0, 5, 10, 14), JsonLines.read(dir.metricsFile()).stream().map(o -> o.get("epoch").getAsInt()).toList(),
                "only the new run's lines");
    }

    @Test
    void resumingWithAChangedComputationIsRefusedAndABudgetChangeIsRecorded(@TempDir Path out) throws IOException {
        ExperimentConfig c = tiny();
        List<String> none = new ArrayList<>();
        // stopped after 20 epochs by a smaller budget, so a checkpoint at 20 exists and the run is not finished
        train(c.withEpochs(20), out, false, false, none);
        RunDirectory dir = Experiments.runDirectory(out, c, 1);
        Files.delete(dir.summaryFile());
        ExperimentConfig otherLr = ConfigLoader.parse(TINY.replace("\"lr\": 0.01", "\"lr\": 0.02"), "tiny.json");
        IOException e = assertThrows(IOException.class, () -> train(otherLr, out, true, false, new ArrayList<>()));
        assertTrue(e.getMessage().contains("optimizer.lr 0.01 -> 0.02") && e.getMessage().contains("would change what the run computes"),
                e.getMessage());
        List<String> messages = new ArrayList<>();
        train(c, out, true, false, messages);
        JsonObject config = JsonFiles.readObjectIfPresent(dir.configFile());
        assertEquals(30, config.get("epochs").getAsInt(), "config.json holds the config the run continued with");
        JsonObject resumed = config.getAsJsonObject("provenance").getAsJsonArray("resumed").get(0).getAsJsonObject();
        assertEquals(20, resumed.get("epoch").getAsInt());
        assertEquals("[20,30]", resumed.getAsJsonObject("changed").get("epochs").toString());
        assertTrue(messages.stream().anyMatch(m -> m.contains("epochs 20 -> 30")), messages.toString());
    }

    @Test
    void aDamagedNewestCheckpointIsPassedOverAndLeftoversRemoved(@TempDir Path whole, @TempDir Path broken) throws IOException {
        ExperimentConfig c = tiny();
        train(c, whole, false, false, new ArrayList<>());
        train(c.withEpochs(21), broken, false, false, new ArrayList<>());
        RunDirectory dir = Experiments.runDirectory(broken, c, 1);
        Files.delete(dir.summaryFile());
        Files.delete(dir.checkpoint("final"));
        byte[] good = Files.readAllBytes(dir.epochCheckpoint(20));
        Files.write(dir.epochCheckpoint(20), java.util.Arrays.copyOf(good, good.length / 2)); // torn by a full disk, say
        Path leftover = dir.checkpointDir().resolve(".epoch_30.safetensors.123.tmp");
        Files.writeString(leftover, "half a checkpoint");
        List<String> messages = new ArrayList<>();
        train(c, broken, true, false, messages);
        assertTrue(messages.stream().anyMatch(m -> m.contains("epoch_20.safetensors is unreadable") && m.contains("falling back")),
                messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.contains("from epoch 10")), messages.toString());
        assertFalse(Files.exists(leftover), "temporary files of a killed write are removed when the run is opened");
        assertEquals(TrainerTest.metricsWithoutWallTime(Experiments.runDirectory(whole, c, 1).metricsFile()),
                TrainerTest.metricsWithoutWallTime(dir.metricsFile()), "resumed from epoch 10, the same bits as the whole run");
    }

    /** Minibatches are drawn from the seed and the epoch, so a resumed minibatch run takes the same steps as a whole one. */
    @Test
    void aMinibatchRunResumedMidwayGivesTheSameBits(@TempDir Path whole, @TempDir Path resumed) throws IOException {
        ExperimentConfig c = ConfigLoader.parse(TINY.replace("\"epochs\": 30", "\"epochs\": 30, \"batch_size\": 16"), "tiny.json");
        assertEquals(16, c.batchSize());
        train(c, whole, false, false, new ArrayList<>());
        train(c.withEpochs(20), resumed, false, false, new ArrayList<>());
        RunDirectory dir = Experiments.runDirectory(resumed, c, 1);
        Files.delete(dir.summaryFile());
        Files.delete(dir.checkpoint("final"));
        List<String> messages = new ArrayList<>();
        train(c, resumed, true, false, messages);
        assertTrue(messages.stream().anyMatch(m -> m.contains("from epoch 20")), messages.toString());
        List<String> lines = new ArrayList<>(TrainerTest.metricsWithoutWallTime(dir.metricsFile()));
        lines.removeIf(l -> l.startsWith("{\"epoch\":19,")); // the short budget's last eval
        assertEquals(TrainerTest.metricsWithoutWallTime(Experiments.runDirectory(whole, c, 1).metricsFile()), lines);
    }

    @Test
    void aRunThatEndedOnItsBudgetContinuesWithALargerOne(@TempDir Path whole, @TempDir Path extended) throws IOException {
        ExperimentConfig c = tiny();
        train(c, whole, false, false, new ArrayList<>());
        train(c.withEpochs(20), extended, false, false, new ArrayList<>());
        RunDirectory dir = Experiments.runDirectory(extended, c, 1);
        assertTrue(dir.isFinished() && dir.canExtendTo(30) && !dir.canExtendTo(20), "ended on a budget of 20");
        List<String> messages = new ArrayList<>();
        train(c, extended, true, false, messages);
        assertTrue(messages.stream().anyMatch(m -> m.contains("ended on its budget; continuing it to 30")), messages.toString());
        assertEquals(30, JsonFiles.readObjectIfPresent(dir.summaryFile()).get("epochs_run").getAsInt());
        // the same bits as a run with the larger budget from the start; the short run's last eval (epoch 19) stays
        List<String> lines = new ArrayList<>(TrainerTest.metricsWithoutWallTime(dir.metricsFile()));
        lines.removeIf(l -> l.startsWith("{\"epoch\":19,"));
        assertEquals(TrainerTest.metricsWithoutWallTime(Experiments.runDirectory(whole, c, 1).metricsFile()), lines);
    }

    @Test
    void fieldsAddedSinceARunStartedAreNotChanges(@TempDir Path out) throws IOException {
        ExperimentConfig c = tiny();
        train(c.withEpochs(20), out, false, false, new ArrayList<>());
        RunDirectory dir = Experiments.runDirectory(out, c, 1);
        Files.delete(dir.summaryFile());
        // a config.json written before these fields existed (their defaults are what the run computed with)
        JsonObject old = JsonFiles.readObjectIfPresent(dir.configFile());
        old.remove("symmetric");
        old.remove("n_mask");
        old.remove("stop_test_acc");
        Files.writeString(dir.configFile(), old.toString());
        List<String> messages = new ArrayList<>();
        train(c.withEpochs(20), out, true, false, messages);
        assertTrue(messages.stream().noneMatch(m -> m.contains("resuming with")), "no change to record: " + messages);
    }
}
