package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.backend.Backend;
import polygrok.backend.LossMode;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;
import polygrok.data.Datasets;
import polygrok.data.SplitData;

/** The epochs `bench` times compute the loss they are given, forward and backward, and no other. */
class EpochBenchmarkLossTest {
    @Test
    void theTimedEpochsComputeTheGivenLoss(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("tiny.json");
        Files.writeString(file, """
                {"name": "tiny", "p": 7, "ops": ["add"], "train_fraction": 0.6,
                 "model": {"d_model": 8, "num_heads": 2, "d_mlp": 16}, "epochs": 5}""");
        ExperimentConfig c = ConfigLoader.load(file);
        SplitData d = Datasets.build(Experiments.dataSpec(c), 0);
        List<ExampleSet> train = new ArrayList<>(List.of(Experiments.examples(d.train(), d.taskNames().size())));
        List<ExampleSet> test = new ArrayList<>(List.of(Experiments.examples(d.test(), d.taskNames().size())));
        for (LossMode mode : List.of(new LossMode(true, false), new LossMode(false, true), LossMode.CROSS_ENTROPY)) {
            Set<String> seen = new TreeSet<>();
            Backend ref = new CpuRefBackend();
            Backend recording = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[]{Backend.class},
                    (proxy, method, args) -> {
                        if (method.getName().startsWith("crossEntropy") && args != null) {
                            for (Object a : args) {
                                if (a instanceof LossMode m) {
                                    seen.add(method.getName() + " " + m);
                                }
                            }
                        }
                        try {
                            return method.invoke(ref, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            EpochBenchmark.run(recording, Experiments.modelSpec(c, d), train, test, List.of(Experiments.optimizer(c)),
                    new long[]{0}, 0, mode, 1, 1);
            assertEquals(Set.of("crossEntropyBackward " + mode, "crossEntropyForward " + mode), seen,
                    "the loss ops bench ran for " + mode);
        }
    }
}
