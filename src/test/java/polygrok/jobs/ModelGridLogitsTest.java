package polygrok.jobs;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.analysis.CheckpointFiles;
import polygrok.analysis.CheckpointMeasures;
import polygrok.analysis.FourierLossAblation;
import polygrok.analysis.GridLogitsSource;
import polygrok.analysis.RunAnalysis;
import polygrok.analysis.RunAnalyzer;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;
import polygrok.data.SplitData;
import polygrok.io.JsonLines;
import polygrok.io.SafeDType;
import polygrok.model.ModelSpec;
import polygrok.train.Experiments;
import polygrok.train.InitialWeights;
import polygrok.train.Trainer;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The network rebuilt from a real checkpoint gives the loss the trainer logged for the same weights. */
class ModelGridLogitsTest {
    private static final String TINY = """
            {"name": "tiny", "p": 11, "ops": ["add"], "train_fraction": 0.6,
             "model": {"d_model": 16, "num_heads": 2, "d_mlp": 32},
             "optimizer": {"lr": 0.01}, "epochs": 40, "eval_every": 5, "checkpoint_every": 20,
             "seeds": [1], "backend": "cpuref"}""";

    @Test
    void gridLossOfEachCheckpointIsTheLoggedTrainAndTestLossOfItsEpoch(@TempDir Path out) throws Exception {
        ExperimentConfig c = ConfigLoader.parse(TINY, "tiny.json");
        ModelSpec spec = Experiments.modelSpec(c, Experiments.firstSplit(c));
        Trainer.Plan plan = Experiments.plan(c, spec, InitialWeights.FRESH, false, SafeDType.F64);
        new Trainer(new CpuRefBackend(), plan, Experiments.runs(c, out, InitialWeights.FRESH), new Trainer.Listener() { }, null, null).train();
        Path run = out.resolve("tiny").resolve("seed_1");

        GridLogitsSource source = ModelGridLogits.forRun(run, line -> { });
        assertNotNull(source, "a single two-operand task over the full grid must get a GridLogitsSource");
        List<JsonObject> metrics = JsonLines.read(run.resolve("metrics.jsonl"));
        SplitData data = Experiments.firstSplit(c);
        int nTrain = data.train().count();
        int nTest = data.test().count();
        int p = 11;
        int compared = 0;
        // the metrics line of epoch N evaluates the weights checkpoint epoch_N holds (those after N epochs of updates)
        for (Path file : CheckpointFiles.list(run)) {
            var checkpoint = CheckpointFiles.read(file);
            JsonObject line = metrics.stream().filter(o -> o.get("epoch").getAsInt() == checkpoint.epoch()).findFirst().orElse(null);
            if (line == null) {
                continue;
            }
            FourierLossAblation.Result r = FourierLossAblation.compute(source.at(checkpoint), p, source.labels(), new int[]{1}, null);
            double logged = (nTrain * line.get("train_loss").getAsDouble() + nTest * line.get("test_loss").getAsDouble()) / (nTrain + nTest);
            // both are float64 cpuref forward passes of the same weights (F64 checkpoints): only summation order differs
            double tol = 1e-9 * Math.max(1, Math.abs(logged));
            assertTrue(Math.abs(r.fullLoss() - logged) <= tol, "grid loss of checkpoint " + checkpoint.label() + ": " + r.fullLoss()
                    + " vs the trainer's logged train/test loss " + logged + " at epoch " + checkpoint.epoch());
            compared++;
        }
        assertTrue(compared >= 2, "expected init and epoch_20 to have metrics lines of their epoch; compared " + compared);

        RunAnalysis a = new RunAnalyzer(0.5, source).analyze(run);
        CheckpointMeasures m = a.checkpoints().get(a.checkpoints().size() - 1);
        assertNotNull(m.restrictedLoss(), "restricted loss filled in through the hook");
    }
}
