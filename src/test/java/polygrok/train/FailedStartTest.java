package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.config.ExperimentConfig;
import polygrok.io.DirectoryLock;

/**
 * In one process: what decides that a directory holds an earlier run. The leftovers of a start that
 * failed before its first epoch are not one; a single metrics line is; and a start refused for it
 * gives its lock back.
 */
class FailedStartTest {

    @Test
    void theLeftoversOfAFailedStartAreReplacedByAPlainRun(@TempDir Path out) throws IOException {
        ExperimentConfig c = RunLifecycleTest.tiny();
        RunDirectory dir = Experiments.runDirectory(out, c, 1);
        Files.createDirectories(dir.checkpointDir());
        Files.writeString(dir.configFile(), "{\"name\": \"an earlier start that failed\"}");
        Files.writeString(dir.dir().resolve(DirectoryLock.FILE), "{\"pid\": 1}\n");
        assertTrue(dir.hasRunFiles() && !dir.holdsTrainedRun());
        RunLifecycleTest.train(c, out, false, false, new ArrayList<>());
        assertTrue(dir.isFinished(), "the run started and ended");
        assertTrue(Files.readString(dir.configFile()).contains("\"tiny\""), "config.json is the new run's");
    }

    @Test
    void aRunWithOneMetricsLineIsInTheWayAndTheRefusedStartReleasesItsLock(@TempDir Path out) throws IOException {
        ExperimentConfig c = RunLifecycleTest.tiny();
        RunDirectory dir = Experiments.runDirectory(out, c, 1);
        Files.createDirectories(dir.checkpointDir());
        Files.writeString(dir.configFile(), "{}");
        Files.writeString(dir.metricsFile(), "{\"epoch\": 0, \"train_loss\": 2.5}\n");
        IOException refused = assertThrows(IOException.class, () -> RunLifecycleTest.train(c, out, false, false, new ArrayList<>()));
        assertTrue(refused.getMessage().contains("holds an earlier run") && refused.getMessage().contains("--resume"), refused.getMessage());
        try (DirectoryLock again = dir.lock()) {
            assertEquals(DirectoryLock.FILE, again.file().getFileName().toString(), "the refused start let go of the lock");
        }
    }
}
