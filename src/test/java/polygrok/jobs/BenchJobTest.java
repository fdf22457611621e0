package polygrok.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `bench`'s job: one JSON object with the timings, the config it timed, and the paths that ran. */
class BenchJobTest {
    @Test
    void printsTheTimingsOfTheModelsAsJson(@TempDir Path tmp) throws IOException {
        Path config = tmp.resolve("tiny.json");
        Files.writeString(config, """
                {"name": "tiny", "p": 7, "ops": ["add"], "train_fraction": 0.6,
                 "model": {"d_model": 8, "num_heads": 2, "d_mlp": 16}, "epochs": 5, "backend": "cpuref"}""");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        BenchJob.run(config, "cpuref", 1, 2, 2, new PrintStream(buf, true, StandardCharsets.UTF_8));
        JsonObject json = JsonParser.parseString(buf.toString(StandardCharsets.UTF_8)).getAsJsonObject();
        assertEquals("cpuref", json.get("backend").getAsString());
        assertEquals(2, json.get("models").getAsInt());
        assertEquals(2, json.get("epochs").getAsInt());
        assertEquals(1, json.get("warmup").getAsInt());
        assertEquals(config.toString(), json.get("config").getAsString());
        assertEquals(true, json.has("token_tables"), json.toString());
        assertEquals("full batch, cross-entropy in float64", json.get("epoch_timed").getAsString(), "what was timed is stated");
    }

    @Test
    void timesMinibatchEpochsWhenTheConfigHasABatchSize(@TempDir Path tmp) throws IOException {
        Path config = tmp.resolve("tiny_batches.json");
        // batches of 8, fewer than the train pairs (60% of 49): several AdamW steps per epoch
        Files.writeString(config, """
                {"name": "tiny", "p": 7, "ops": ["add"], "train_fraction": 0.6, "batch_size": 8,
                 "model": {"d_model": 8, "num_heads": 2, "d_mlp": 16}, "epochs": 5, "backend": "cpuref"}""");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        BenchJob.run(config, "cpuref", 1, 2, 2, new PrintStream(buf, true, StandardCharsets.UTF_8));
        JsonObject json = JsonParser.parseString(buf.toString(StandardCharsets.UTF_8)).getAsJsonObject();
        assertEquals("minibatches of 8 (one AdamW step each) and the test set's forward, cross-entropy in float64",
                json.get("epoch_timed").getAsString(), "a config's batch_size is what bench times");
        assertEquals(2, json.get("epochs").getAsInt());
    }

    @Test
    void timesTheConfigsLoss(@TempDir Path tmp) throws IOException {
        Path config = tmp.resolve("tiny_stablemax.json");
        Files.writeString(config, """
                {"name": "tiny", "p": 7, "ops": ["add"], "train_fraction": 0.6, "loss": "stablemax", "loss_precision": "float32",
                 "model": {"d_model": 8, "num_heads": 2, "d_mlp": 16}, "epochs": 5, "backend": "cpuref"}""");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        BenchJob.run(config, "cpuref", 1, 2, 1, new PrintStream(buf, true, StandardCharsets.UTF_8));
        JsonObject json = JsonParser.parseString(buf.toString(StandardCharsets.UTF_8)).getAsJsonObject();
        assertEquals("full batch, stablemax in float32", json.get("epoch_timed").getAsString(), "the config's loss is what bench times");
    }
}
