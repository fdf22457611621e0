package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;
import polygrok.io.JsonLines;

/**
 * A minibatch run evaluates the train set and the test set one after the other; with a 50% split the
 * two have one size, and the train statistics must still be the train set's: equal to what a
 * full-batch run of the same seed logs at epoch 0 (the same initial weights), and not the test set's.
 */
class MinibatchEvaluationTest {
    static final String HALF = """
            {"name": "half", "p": 11, "ops": ["add"], "train_fraction": 0.5, "operand_range": "p+5",
             "model": {"d_model": 16, "num_heads": 2, "d_mlp": 32}, "epochs": 2, "eval_every": 1,
             "checkpoint_every": 0, "seeds": [3], "backend": "cpuref"}""";

    @Test
    void trainStatisticsOfAnEqualSplitAreTheTrainSets(@TempDir Path full, @TempDir Path mini) throws IOException {
        ExperimentConfig fullBatch = ConfigLoader.parse(HALF, "half.json");
        ExperimentConfig minibatch = ConfigLoader.parse(HALF.replace("\"epochs\": 2", "\"epochs\": 2, \"batch_size\": 32"), "half.json");
        TrainerStopTest.train(fullBatch, full, new ArrayList<>());
        TrainerStopTest.train(minibatch, mini, new ArrayList<>());
        JsonObject f = first(full), m = first(mini);
        assertNotEquals(m.get("test_loss").getAsDouble(), m.get("train_loss").getAsDouble(),
                "train and test sets of one size (128 pairs each) must not report the same loss: " + m);
        for (String key : List.of("train_loss", "train_acc", "train_prob", "test_loss", "test_acc", "test_prob")) {
            assertEquals(f.get(key).getAsDouble(), m.get(key).getAsDouble(), 1e-12,
                    key + " at epoch 0: the minibatch run evaluates the same weights on the same sets as the full-batch run");
        }
    }

    private static JsonObject first(Path out) throws IOException {
        return JsonLines.read(out.resolve("half/seed_3/metrics.jsonl")).get(0);
    }
}
