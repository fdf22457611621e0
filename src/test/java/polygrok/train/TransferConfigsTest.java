package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;
import polygrok.model.ParameterLayout;

/**
 * configs/transfer: the seed's fine-tuning experiments (pre-grokked embedding, pre-grokked model) for
 * add, subtract, multiply and seven polynomials, from add / subtract / multiply pre-training at p 97,
 * fraction 0.3. Each points at the final checkpoint of a pre-training config that exists, and every
 * tensor it loads has the same shape in both models.
 */
class TransferConfigsTest {
    static final List<String> TARGETS = List.of("add", "subtract", "multiply", "x2_y2", "x2_xy_y2", "x_x_y", "xy_y",
            "x2_xy_y2_x", "x3_xy", "x3_xy2_y");
    static final List<String> SOURCES = List.of("add", "subtract", "multiply");
    static final Map<String, String> VARIANTS = Map.of("emb", "embed", "model", "transformer");
    static final Pattern CHECKPOINT = Pattern.compile("runs/([A-Za-z0-9_.+,=-]+)/seed_\\{seed\\}/checkpoints/final\\.safetensors");

    static List<Path> jsonFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    /**
     * The pre-training config whose run is called {@code name}: configs/paper/NAME.json or
     * configs/transfer/pretrain/NAME.json (other files there may be sweeps, not experiments).
     */
    static ExperimentConfig pretrainConfig(String name) {
        for (Path dir : List.of(Path.of("configs/paper"), Path.of("configs/transfer/pretrain"))) {
            Path f = dir.resolve(name + ".json");
            if (Files.isRegularFile(f)) {
                ExperimentConfig c = ConfigLoader.load(f);
                assertEquals(name, c.name(), f + ": run name");
                return c;
            }
        }
        return null;
    }

    /** Configs that differ only in name, schedule or init have one layout: build each once (it builds a split). */
    static String shapeKey(ExperimentConfig c) {
        return ConfigLoader.toJson(c.withName("layout").withInit(null).withEpochs(1));
    }

    @Test
    void everyTransferExperimentOfTheSeedIsThere() throws IOException {
        TreeSet<String> names = new TreeSet<>();
        for (Path f : jsonFiles(Path.of("configs/transfer"))) {
            if (!f.startsWith(Path.of("configs/transfer/pretrain"))) {
                names.add(ConfigLoader.load(f).name());
            }
        }
        TreeSet<String> expected = new TreeSet<>();
        for (String t : TARGETS) {
            for (String s : SOURCES) {
                for (String v : VARIANTS.keySet()) {
                    expected.add(t + "_from_" + s + "_" + v);
                }
            }
        }
        assertEquals(expected, names, "transfer configs (target_from_source_variant)");
    }

    @Test
    void everyTransferConfigLoadsItsPreTrainingCheckpointShapeForShape() throws IOException {
        Map<String, ParameterLayout> layouts = new HashMap<>();
        List<Path> files = jsonFiles(Path.of("configs/transfer")).stream()
                .filter(f -> !f.startsWith(Path.of("configs/transfer/pretrain"))).toList();
        assertEquals(60, files.size(), "transfer configs: " + files);
        for (Path f : files) {
            ExperimentConfig c = ConfigLoader.load(f);
            String where = f + ": ";
            assertEquals(f.getFileName().toString(), c.name() + ".json", where + "file named after its run");
            assertNotNull(c.init(), where + "init section");
            assertEquals(97, c.p(), where + "p");
            assertEquals(0.3, c.trainFraction(), 0.0, where + "train_fraction");
            String variant = c.name().substring(c.name().lastIndexOf('_') + 1);
            String component = VARIANTS.get(variant);
            assertEquals(List.of(component), c.init().load(), where + "init.load of a '" + variant + "' run");
            assertEquals(List.of(component), c.init().freeze(), where + "init.freeze of a '" + variant + "' run");
            assertEquals("", c.init().keyPrefix(), where + "init.key_prefix");

            Matcher m = CHECKPOINT.matcher(c.init().checkpoint());
            assertTrue(m.matches(), where + "init.checkpoint " + c.init().checkpoint() + " should be runs/<pre-training name>/seed_{seed}/checkpoints/final.safetensors");
            String source = m.group(1);
            assertTrue(c.name().contains("_from_" + source + "_"), where + "name says where it comes from, checkpoint says " + source);
            ExperimentConfig pre = pretrainConfig(source);
            assertNotNull(pre, where + "no pre-training config named " + source + " in configs/paper or configs/transfer/pretrain");
            assertEquals(97, pre.p(), source + " pre-training p");
            assertEquals(0.3, pre.trainFraction(), 0.0, source + " pre-training train_fraction");
            assertTrue(pre.seeds().containsAll(c.seeds()), where + "every seed " + c.seeds() + " fine-tunes from the same seed of "
                    + source + ", whose pre-training trains " + pre.seeds());
            assertEquals(null, pre.init(), source + " pre-training starts fresh");

            ParameterLayout target = layouts.computeIfAbsent(shapeKey(c), k -> Experiments.layout(c));
            ParameterLayout from = layouts.computeIfAbsent(shapeKey(pre), k -> Experiments.layout(pre));
            List<String> loaded = InitialWeights.component(component, target);
            assertTrue(!loaded.isEmpty(), where + component + " names no tensor");
            for (String name : loaded) {
                assertTrue(from.has(name), where + source + " has no " + name);
                assertEquals(from.spec(name).shape(), target.spec(name).shape(), where + name + " in " + source + " vs " + c.name());
            }
        }
    }
}
