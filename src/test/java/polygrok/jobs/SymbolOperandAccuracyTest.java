package polygrok.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;
import polygrok.io.JsonLines;
import polygrok.io.SafeDType;
import polygrok.model.ModelSpec;
import polygrok.train.Experiments;
import polygrok.train.InitialWeights;
import polygrok.train.Trainer;

/**
 * The split of test accuracy by operand kind adds up to the test accuracy the trainer logged for the
 * same weights, and counts exactly the pairs that hold a symbol operand.
 */
class SymbolOperandAccuracyTest {
    private static final String TINY = """
            {"name": "tiny", "p": 7, "ops": ["add"], "train_fraction": 0.6, "operand_range": "p+5",
             "model": {"d_model": 16, "num_heads": 2, "d_mlp": 32},
             "optimizer": {"lr": 0.01}, "epochs": 40, "eval_every": 5, "checkpoint_every": 20,
             "seeds": [1], "backend": "cpuref"}""";

    @Test
    void theTwoAccuraciesAddUpToTheLoggedTestAccuracy(@TempDir Path out) throws Exception {
        ExperimentConfig c = ConfigLoader.parse(TINY, "tiny.json");
        ModelSpec spec = Experiments.modelSpec(c, Experiments.firstSplit(c));
        Trainer.Plan plan = Experiments.plan(c, spec, InitialWeights.FRESH, false, SafeDType.F64);
        new Trainer(new CpuRefBackend(), plan, Experiments.runs(c, out, InitialWeights.FRESH), new Trainer.Listener() { }, null, null).train();
        Path run = out.resolve("tiny").resolve("seed_1");

        List<SymbolOperandAccuracy.Split> splits = SymbolOperandAccuracy.analyze(run);
        Map<Integer, Double> logged = JsonLines.read(run.resolve("metrics.jsonl")).stream()
                .collect(Collectors.toMap(o -> o.get("epoch").getAsInt(), o -> o.get("test_acc").getAsDouble()));
        int testPairs = 144 - (int) Math.floor(0.6 * 144); // operands 0..11 at p 7: 144 pairs, 86 train
        int checked = 0;
        for (SymbolOperandAccuracy.Split s : splits) {
            assertEquals(testPairs, s.numberPairs() + s.symbolPairs(), s.toString());
            assertTrue(s.symbolPairs() > 0 && s.numberPairs() > 0, s.toString());
            if (logged.containsKey(s.epoch()) && !s.label().equals("final")) {
                // init and epoch_N hold the weights the metrics line of epoch 0 and N was computed with
                double overall = (s.numberAcc() * s.numberPairs() + s.symbolAcc() * s.symbolPairs()) / testPairs;
                assertEquals(logged.get(s.epoch()), overall, 1e-12, "epoch " + s.epoch() + ": " + s);
                checked++;
            }
        }
        assertTrue(checked >= 2, "epoch checkpoints compared with the logged accuracy: " + checked + " of " + splits);
        JsonObject file = polygrok.io.JsonFiles.readObjectIfPresent(run.resolve(SymbolOperandAccuracy.FILE_NAME));
        assertEquals(splits.size(), file.getAsJsonArray("checkpoints").size());
        assertTrue(Files.isRegularFile(run.resolve(SymbolOperandAccuracy.FILE_NAME)));
    }

    @Test
    void runsOverOperandsBelowPHaveNoSplit(@TempDir Path out) throws Exception {
        ExperimentConfig c = ConfigLoader.parse(TINY.replace("\"operand_range\": \"p+5\",", ""), "tiny.json");
        ModelSpec spec = Experiments.modelSpec(c, Experiments.firstSplit(c));
        Trainer.Plan plan = Experiments.plan(c, spec, InitialWeights.FRESH, false, SafeDType.F64);
        new Trainer(new CpuRefBackend(), plan, Experiments.runs(c, out, InitialWeights.FRESH), new Trainer.Listener() { }, null, null).train();
        assertEquals(List.of(), SymbolOperandAccuracy.analyze(out.resolve("tiny").resolve("seed_1")));
    }
}
