package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import polygrok.backend.cpu.CpuBackend;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;
import polygrok.io.SafeDType;
import polygrok.model.ModelSpec;

/**
 * End to end on the fast float32 backend: configs/quick/add.json (p 23, fraction 0.7, d_model 64,
 * lr 3e-3) on the Python-identical split groks — test accuracy reaches 0.99 — within its epochs.
 */
class QuickGrokkingTest {
    @Test
    void quickAdditionGroksOnTheCpuBackend() throws Exception {
        ExperimentConfig c = ConfigLoader.load(Path.of("configs/quick/add.json")).withStopTestAcc(0.99);
        ModelSpec spec = Experiments.modelSpec(c, Experiments.firstSplit(c));
        Trainer.Plan plan = Experiments.plan(c, spec, InitialWeights.FRESH, false, SafeDType.F32);
        try (CpuBackend cpu = new CpuBackend()) {
            List<RunResult> results = new Trainer(cpu, plan, Experiments.runs(c, null, InitialWeights.FRESH),
                    new Trainer.Listener() { }, null, null).train();
            RunResult r = results.get(0);
            assertNotNull(r.epochsTo99(), "quick add did not reach 99% test accuracy in " + c.epochs()
                    + " epochs; best " + r.bestTestAcc());
            assertTrue(r.last().get("train_acc").getAsDouble() == 1.0, "train accuracy at the end: " + r.last());
        }
    }
}
