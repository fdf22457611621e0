package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;
import polygrok.io.Safetensors;

/**
 * The model options in training, on cpuref: a continued run takes the same bits as an unbroken one, the
 * checkpoints hold the new parameters under their names, and each option changes the run.
 */
class ModelOptionsTrainingTest {
    static ExperimentConfig tiny(String model) {
        return ConfigLoader.parse("""
                {"name": "tiny", "p": 11, "ops": ["add"], "train_fraction": 0.6,
                 "model": %s,
                 "optimizer": {"lr": 0.01}, "epochs": 30, "eval_every": 5, "checkpoint_every": 10,
                 "seeds": [1], "backend": "cpuref"}""".formatted(model), "tiny.json");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"d_model\": 16, \"num_heads\": 2, \"d_mlp\": 32, \"num_layers\": 2, \"layer_norm\": true, \"positional\": true, \"bias\": true,"
            + " \"final_layer_norm\": true, \"residual\": \"normalised\", \"act\": \"GeLU\"}"
            + "|{\"d_model\": 16, \"num_heads\": 2, \"d_mlp\": 32, \"num_layers\": 2, \"layer_norm\": true, \"positional\": true, \"act\": \"GeLU\"}"
            + "|blocks.1.attn.b_Q,blocks.0.mlp.b_out,ln_final.w,ln_final.b",
        "{\"d_model\": 16, \"num_heads\": 2, \"d_mlp\": 32, \"bias\": true}|{\"d_model\": 16, \"num_heads\": 2, \"d_mlp\": 32}"
            + "|blocks.0.attn.b_K,blocks.0.attn.b_O,blocks.0.mlp.b_in",
        "{\"type\": \"mlp\", \"input\": \"one_hot\", \"d_model\": 24, \"num_layers\": 1}|{\"type\": \"mlp\", \"d_model\": 24, \"num_layers\": 1,"
            + " \"d_emb\": 24}|input.W,mlps.0.W,output.W"})
    void aContinuedRunTakesTheSameBitsAndTheOptionsChangeTheRun(String model, String without, String newNames, @TempDir Path whole,
                                                                @TempDir Path broken, @TempDir Path plain) throws IOException {
        ExperimentConfig c = tiny(model);
        TrainerStopTest.train(c, whole, new ArrayList<>());
        TrainerStopTest.train(c.withEpochs(20), broken, new ArrayList<>());
        TrainerStopTest.train(c, broken, true, false, new ArrayList<>());
        List<String> lines = new ArrayList<>(TrainerTest.metricsWithoutWallTime(Experiments.runDirectory(broken, c, 1).metricsFile()));
        lines.removeIf(l -> l.startsWith("{\"epoch\":19,"));
        List<String> unbroken = TrainerTest.metricsWithoutWallTime(Experiments.runDirectory(whole, c, 1).metricsFile());
        assertTrue(unbroken.size() >= 6, "eval lines of the unbroken run: " + unbroken);
        assertEquals(unbroken, lines, "every metrics line of the continued run");
        var checkpoint = Safetensors.read(Experiments.runDirectory(whole, c, 1).checkpoint("final"));
        for (String name : newNames.split(",")) {
            assertTrue(checkpoint.tensors().keySet().stream().anyMatch(k -> k.equals(name) || k.endsWith("." + name)),
                    name + " in the final checkpoint: " + checkpoint.tensors().keySet());
        }
        ExperimentConfig none = tiny(without);
        TrainerStopTest.train(none, plain, new ArrayList<>());
        assertNotEquals(unbroken, TrainerTest.metricsWithoutWallTime(Experiments.runDirectory(plain, none, 1).metricsFile()),
                "the options change the run");
    }
}
