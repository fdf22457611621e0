package polygrok.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.config.ConfigLoader;
import polygrok.io.JsonLines;
import polygrok.train.Trainer;

/** fourier_every puts FFD and FCR of W_E and W_L into metrics.jsonl at the epochs it names. */
class FourierHookTest {
    @Test
    void measuresAppearEveryFourierEveryEpochs(@TempDir Path out) throws Exception {
        var c = ConfigLoader.parse("""
                {"name": "fourier", "p": 11, "ops": ["add"], "train_fraction": 0.6,
                 "model": {"d_model": 16, "num_heads": 2, "d_mlp": 32}, "optimizer": {"lr": 0.01},
                 "epochs": 41, "eval_every": 10, "checkpoint_every": 0, "fourier_every": 20,
                 "seeds": [0], "backend": "cpuref"}""", "fourier.json");
        TrainingJob.run(c, out, false, new Trainer.Listener() { }, new PrintStream(java.io.OutputStream.nullOutputStream()));
        List<JsonObject> lines = JsonLines.read(out.resolve("fourier/seed_0/metrics.jsonl"));
        assertEquals(5, lines.size());
        for (JsonObject line : lines) {
            int epoch = line.get("epoch").getAsInt();
            boolean due = epoch % 20 == 0;
            for (String key : List.of("ffd", "fcr", "ffd_wl", "fcr_wl")) {
                assertEquals(due, line.has(key), key + " at epoch " + epoch);
            }
            if (due) {
                double ffd = line.get("ffd").getAsDouble();
                assertTrue(ffd > 0 && ffd <= 1, "FFD is a fraction of frequencies: " + ffd);
            }
        }
    }
}
