package polygrok.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every shipped config under configs/ loads and validates. */
class ConfigFilesTest {

    static List<Path> configFiles() throws IOException {
        try (Stream<Path> s = Files.walk(Path.of("configs"))) {
            // sweep files (a "base" plus "axes") are checked by SweepConfigTest
            return s.filter(p -> p.toString().endsWith(".json") && !SweepLoader.isSweepFile(p)).sorted()
                    .collect(Collectors.toList());
        }
    }

    @Test
    void everyConfigValidates() throws IOException {
        List<Path> files = configFiles();
        assertTrue(files.size() >= 18, "expected the paper and quick configs, found " + files);
        for (Path f : files) {
            ExperimentConfig c = ConfigLoader.load(f); // throws, naming the file, if invalid
            assertEquals(c, ConfigLoader.parse(ConfigLoader.toJson(c), f.toString()), "round trip of " + f);
        }
    }

    @Test
    void paperAddIsThePaperSetting() {
        ExperimentConfig c = ConfigLoader.load(Path.of("configs/paper/add.json"));
        assertEquals(97, c.p(), "p");
        assertEquals(List.of("add"), c.ops(), "ops");
        assertEquals(0.3, c.trainFraction(), 0.0, "train_fraction");
        assertEquals(ModelConfig.defaults(), c.model(), "model");
        assertEquals(OptimizerConfig.defaults(), c.optimizer(), "optimizer");
        assertEquals(null, c.batchSize(), "full batch");
    }
}
