package polygrok.data;

import org.junit.jupiter.api.Test;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;
import polygrok.config.SweepLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every shipped config builds its data, with the sizes the config promises. */
class ShippedConfigsDataTest {

    @Test
    void everyShippedConfigBuildsItsData() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of("configs"))) {
            // sweep files (a "base" plus "axes") are checked by SweepConfigTest
            files = s.filter(p -> p.toString().endsWith(".json") && !SweepLoader.isSweepFile(p)).sorted().collect(Collectors.toList());
        }
        for (Path f : files) {
            ExperimentConfig c = ConfigLoader.load(f);
            SplitData d = Datasets.build(c, c.seeds().get(0));
            int pairs = c.p() * c.p();
            int tasks = c.ops().size();
            assertEquals(pairs * tasks, d.train().count() + d.test().count(), f + ": examples");
            assertEquals((int) (c.trainFraction() * pairs) * tasks, d.train().count(), f + ": train examples");
            assertEquals(c.vocabSize(), d.vocabSize(), f + ": vocabulary");
            assertEquals(3, d.nCtx(), f + ": n_ctx");
        }
    }

    @Test
    void configFieldsReachTheData() {
        ExperimentConfig c = ConfigLoader.parse("{\"ops\": [\"x2_y2\", \"x_x_y\"], \"p\": 11, \"task_tokens\": true,"
                + " \"n_mask\": 1, \"operand_range\": \"p+5\", \"symmetric\": true, \"train_fraction\": 0.5}", "mix.json");
        SplitData d = Datasets.build(c, 0);
        assertEquals(4, d.nCtx(), "short format plus a task token");
        assertEquals(11 + 5 + 1 + 2, d.vocabSize(), "vocabulary with a mask and two task tokens");
        assertEquals(c.vocabSize(), d.vocabSize(), "config and data agree on the vocabulary");
        assertEquals(2 * 16 * 17 / 2, d.train().count() + d.test().count(), "symmetric pairs over range(p + 5), two tasks");
        assertEquals(List.of("x2_y2", "x_x_y"), d.taskNames(), "task names");
    }
}
