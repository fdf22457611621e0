package polygrok.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Sweep files: expansion into named points, validation with paths, and the shipped sweeps. */
class SweepConfigTest {
    static final String BASE = "\"base\": {\"p\": 11, \"ops\": [\"add\"], \"model\": {\"d_model\": 16, \"num_heads\": 2}, \"seeds\": [0]}";

    static SweepConfig parse(String body) {
        return SweepLoader.parse("{\"name\": \"s\", " + BASE + (body.isEmpty() ? "" : ", " + body) + "}", "s.json", null);
    }

    static ConfigException error(String body) {
        return assertThrows(ConfigException.class, () -> parse(body), "should be refused: " + body);
    }

    @Test
    void axesExpandIntoTheCartesianProductWithReadableNames() {
        SweepConfig s = parse("\"axes\": {\"ops\": [\"add\", [\"add\", \"multiply\"]], \"train_fraction\": [0.3, 0.5],"
                + " \"lr\": [1e-3, 0.0003], \"seeds\": [4, 5]}");
        List<String> names = s.points().stream().map(SweepPoint::name).toList();
        assertEquals(List.of("add_f0.3_lr1e-3", "add_f0.3_lr3e-4", "add_f0.5_lr1e-3", "add_f0.5_lr3e-4",
                "add,multiply_f0.3_lr1e-3", "add,multiply_f0.3_lr3e-4", "add,multiply_f0.5_lr1e-3", "add,multiply_f0.5_lr3e-4"), names);
        ExperimentConfig last = s.points().get(7).config();
        assertEquals(List.of("add", "multiply"), last.ops(), "ops of the last point");
        assertEquals(0.5, last.trainFraction(), 0.0, "train_fraction of the last point");
        assertEquals(3e-4, last.optimizer().lr(), 0.0, "lr of the last point");
        assertEquals(1.0, last.optimizer().weightDecay(), 0.0, "weight decay stays the base's");
        assertEquals(List.of(4L, 5L), last.seeds(), "the seeds axis replaces the base's seeds");
        assertEquals(16, s.runCount(), "8 points x 2 seeds");
    }

    @Test
    void optimizerAxesComeInnermostWithTheirOwnPieces() {
        SweepConfig s = parse("\"axes\": {\"weight_decay\": [0, 1], \"grad_filter\": [null], \"optimizer_type\": [\"adamw\", \"adam\"],"
                + " \"warmup_steps\": [10], \"orthogonal\": [false, true]}");
        List<String> names = s.points().stream().map(SweepPoint::name).toList();
        assertEquals(List.of("s_wd0_gf-none_opt-adamw_wu10_orth-off", "s_wd0_gf-none_opt-adamw_wu10_orth-on",
                "s_wd0_gf-none_opt-adam_wu10_orth-off", "s_wd0_gf-none_opt-adam_wu10_orth-on",
                "s_wd1_gf-none_opt-adamw_wu10_orth-off", "s_wd1_gf-none_opt-adamw_wu10_orth-on",
                "s_wd1_gf-none_opt-adam_wu10_orth-off", "s_wd1_gf-none_opt-adam_wu10_orth-on"), names);
        OptimizerConfig last = s.points().get(7).config().optimizer();
        assertEquals("adam", last.type());
        assertEquals(10, last.warmupSteps());
        assertTrue(last.orthogonal());
        assertEquals(1.0, last.weightDecay(), 0.0);
        assertEquals(List.of("s_opt-adam"), parse("\"axes\": {\"optimizer_type\": [\"adam\"]}").points().stream().map(SweepPoint::name).toList(),
                "without a filter axis");
        assertTrue(error("\"axes\": {\"optimizer_type\": [\"sgd\"]}").getMessage().contains("axes.optimizer_type[0]"));
        assertTrue(error("\"axes\": {\"orthogonal\": [true, true]}").getMessage().contains("appears twice"));
        assertTrue(error("\"axes\": {\"orthogonal\": [1]}").getMessage().contains("true or false"));
        assertTrue(error("\"axes\": {\"warmup_steps\": [-1]}").getMessage().contains("warmup_steps"));
        assertTrue(error("\"axes\": {\"warmup_steps\": []}").getMessage().contains("empty"));
    }

    @Test
    void withoutAxesTheSweepIsTheBaseAlone() {
        SweepConfig s = parse("");
        assertEquals(1, s.points().size());
        assertEquals("s", s.points().get(0).name(), "the point keeps the base's name (the sweep's, for an inline base)");
        assertEquals(List.of(0L), s.points().get(0).config().seeds());
    }

    @Test
    void numbersReadAsResearchersWriteThem() {
        assertEquals("0.3", SweepNames.number(0.3));
        assertEquals("1", SweepNames.number(1.0));
        assertEquals("1e-3", SweepNames.number(0.001));
        assertEquals("2.5e-4", SweepNames.number(0.00025));
        assertEquals("0.01", SweepNames.number(0.01));
        assertEquals("1e4", SweepNames.number(10000));
        assertEquals("0", SweepNames.number(0));
        assertEquals("a2+ab+b2", SweepNames.ops(List.of("a^2 + a*b + b^2")));
        assertEquals("op_x_y__3", SweepNames.ops(List.of("_x_y__3")));
        assertEquals("pt_add", SweepNames.checkpointStem("runs/pre/pt_add.safetensors"));
    }

    @Test
    void initCheckpointsKeepTheBaseLoadAndFreeze() {
        SweepConfig s = SweepLoader.parse("{\"name\": \"ft\", \"base\": {\"p\": 11, \"ops\": [\"add\"],"
                + " \"init\": {\"checkpoint\": \"a.safetensors\", \"load\": [\"embed\"], \"freeze\": [\"embed\"]}},"
                + " \"axes\": {\"init_checkpoint\": [\"pre/pt_add.safetensors\", \"pre/pt_mul.safetensors\"]}}", "ft.json", null);
        assertEquals(List.of("ft_init-pt_add", "ft_init-pt_mul"), s.points().stream().map(SweepPoint::name).toList());
        InitConfig init = s.points().get(1).config().init();
        assertEquals("pre/pt_mul.safetensors", init.checkpoint());
        assertEquals(List.of("embed"), init.load());
        assertEquals(List.of("embed"), init.freeze());
    }

    @Test
    void mistakesAreNamedWithTheirPath() {
        assertTrue(error("\"axes\": {\"lr\": []}").getMessage().contains("axes.lr: is empty"), error("\"axes\": {\"lr\": []}").getMessage());
        String dup = error("\"axes\": {\"seeds\": [1, 1]}").getMessage();
        assertTrue(dup.contains("axes.seeds[1]") && dup.contains("twice"), dup);
        String frac = error("\"axes\": {\"train_fraction\": [0.3, 1.5]}").getMessage();
        assertTrue(frac.contains("axes.train_fraction[1]") && frac.contains("1.5"), frac);
        String op = error("\"axes\": {\"ops\": [\"add\", \"addd\"]}").getMessage();
        assertTrue(op.contains("addd") && op.contains("axes"), op);
        String unknown = error("\"axes\": {\"seed\": [1]}").getMessage();
        assertTrue(unknown.contains("axes.seed") && unknown.contains("did you mean \"seeds\""), unknown);
        String m = error("\"models_per_launch\": 0").getMessage();
        assertTrue(m.contains("models_per_launch") && m.contains("0"), m);
        String clash = error("\"axes\": {\"ops\": [\"a*b + a\", \"a * b + a\"]}").getMessage();
        assertTrue(clash.contains("\"ab+a\""), clash);
        String base = assertThrows(ConfigException.class,
                () -> SweepLoader.parse("{\"base\": {\"p\": 11, \"ops\": [\"add\"], \"epochs\": 0}}", "b.json", null)).getMessage();
        assertTrue(base.startsWith("b.json: base.epochs"), base);
        String missing = assertThrows(ConfigException.class, () -> SweepLoader.parse("{\"name\": \"x\"}", "m.json", null)).getMessage();
        assertTrue(missing.contains("base: is missing"), missing);
    }

    @Test
    void aBasePathIsReadRelativeToTheSweepFile() {
        SweepConfig s = SweepLoader.load(Path.of("configs/quick/sweep_add.json"));
        ExperimentConfig quick = ConfigLoader.load(Path.of("configs/quick/add.json"));
        assertEquals(4, s.runCount(), "4 seeds of the quick add config");
        assertEquals(quick.withSeeds(List.of(0L, 1L, 2L, 3L)), s.points().get(0).config(), "the point is the base with the sweep's seeds");
        assertEquals(4, s.modelsPerLaunch());
    }

    @Test
    void tableA5IsThePapersTableWithTheOriginalCodesSetup() {
        SweepConfig s = SweepLoader.load(Path.of("configs/paper/table_a5.json"));
        assertEquals(27 * 7, s.points().size(), "the 27 operations of the paper's Table A.5 x r 0.3..0.9");
        assertEquals(27 * 7 * 3, s.runCount(), "x 3 seeds");
        for (SweepPoint p : s.points()) {
            ExperimentConfig c = p.config();
            assertEquals(97, c.p(), p.name() + " p");
            assertEquals("p+5", c.operandRange(), p.name() + ": the original code's operands, which produced the published numbers");
            assertEquals(100000, c.epochs(), p.name() + " budget");
            assertEquals(0.99, c.stopTestAcc(), 0.0, p.name() + " stops once grokked");
            assertEquals(OptimizerConfig.defaults(), c.optimizer(), p.name() + " optimizer: lr 1e-3, wd 1, betas (0.9, 0.98)");
            assertEquals(ModelConfig.defaults(), c.model(), p.name() + " model");
            assertEquals(List.of(0L, 1L, 2L), c.seeds(), p.name() + " seeds");
            assertEquals(null, c.batchSize(), p.name() + " full batch");
        }
        assertEquals("add_f0.3", s.points().get(0).name());
    }

    @Test
    void everyShippedSweepValidates() throws IOException {
        List<Path> sweeps;
        try (Stream<Path> files = Files.walk(Path.of("configs"))) {
            sweeps = files.filter(p -> p.toString().endsWith(".json") && SweepLoader.isSweepFile(p)).sorted().collect(Collectors.toList());
        }
        assertTrue(sweeps.size() >= 2, "expected table_a5 and the quick sweep, found " + sweeps);
        for (Path f : sweeps) {
            assertTrue(SweepLoader.loadFile(f).runCount() > 0, f + " expands to no runs");
        }
    }
}
