package polygrok.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.train.RunDirectory;

/**
 * A metrics file whose last append was cut off (a full disk, a crash): reading it says so in one line
 * of polygrok's own, naming the file and the fix, and `--resume` (which keeps the lines up to its
 * checkpoint) leaves a file that reads cleanly.
 */
class TornMetricsLineTest {
    static final String TWO_LINES_AND_A_TORN_ONE = "{\"epoch\": 0, \"train_loss\": 2.5}\n{\"epoch\": 1, \"train_loss\": 2.4}\n{\"epoch\": 2, \"tra";

    @Test
    void aTornLastLineIsOneLineInPolygroksWords(@TempDir Path dir) throws Exception {
        Path metrics = dir.resolve("seed_0/metrics.jsonl");
        Files.createDirectories(metrics.getParent());
        Files.writeString(metrics, TWO_LINES_AND_A_TORN_ONE);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        List<JsonObject> lines;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            lines = JsonLines.read(metrics);
        } finally {
            System.setErr(original);
        }
        assertEquals(2, lines.size(), "the whole lines are read");
        String said = captured.toString(StandardCharsets.UTF_8);
        assertEquals(1, said.lines().count(), "one line:\n" + said);
        assertEquals("polygrok: " + metrics + ": the last line is cut off (17 bytes, e.g. a full disk or a crash while writing);"
                + " it is ignored, and --resume rewrites it", said.strip());
        assertFalse(said.contains("WARNING") || said.contains("java.") || said.contains("Exception"), said);
    }

    @Test
    void resumingRewritesTheTornLine(@TempDir Path dir) throws Exception {
        RunDirectory run = new RunDirectory(dir.resolve("seed_0"));
        Files.createDirectories(run.dir());
        Files.writeString(run.metricsFile(), TWO_LINES_AND_A_TORN_ONE);
        PrintStream original = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            run.truncateMetricsAfter(1); // what --resume does from checkpoint epoch_2
        } finally {
            System.setErr(original);
        }
        String text = Files.readString(run.metricsFile());
        assertTrue(text.endsWith("\n") && !text.contains("\"tra\n"), text);
        assertEquals(2, JsonLines.read(run.metricsFile(), w -> {
            throw new AssertionError("no warning after the resume: " + w);
        }).size());
    }
}
