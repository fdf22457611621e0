package polygrok.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    private static ExperimentConfig parse(String json) {
        return ConfigLoader.parse(json, "test.json");
    }

    /** Parses and expects a ConfigException whose message contains every fragment. */
    private static ConfigException fails(String json, String path, String... fragments) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(json), "config should be refused: " + json);
        assertEquals(path, e.path(), "JSON path of the error in: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("test.json: "), "error names the file: " + e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "error should contain \"" + f + "\": " + e.getMessage());
        }
        return e;
    }

    @Test
    void absentFieldsTakeThePapersDefaults() {
        ExperimentConfig c = parse("{\"ops\": [\"add\"]}");
        assertEquals("test", c.name(), "name defaults to the file stem");
        assertEquals(97, c.p(), "p");
        assertEquals(0.3, c.trainFraction(), 0.0, "train_fraction");
        assertEquals("short", c.format(), "format");
        assertEquals("p", c.operandRange(), "operand_range");
        assertEquals(128, c.model().dModel(), "d_model");
        assertEquals(1, c.model().numLayers(), "num_layers");
        assertEquals(4, c.model().numHeads(), "num_heads");
        assertEquals(512, c.model().dMlp(), "d_mlp");
        assertEquals(32, c.model().dHead(), "d_head");
        assertEquals("ReLU", c.model().act(), "act");
        assertEquals(1e-3, c.optimizer().lr(), 0.0, "lr");
        assertEquals(1.0, c.optimizer().weightDecay(), 0.0, "weight_decay");
        assertEquals(0.9, c.optimizer().beta1(), 0.0, "beta1");
        assertEquals(0.98, c.optimizer().beta2(), 0.0, "beta2");
        assertEquals(1e-8, c.optimizer().eps(), 0.0, "eps");
        assertNull(c.batchSize(), "batch_size (full batch)");
        assertNull(c.lp(), "lp");
        assertNull(c.stopTestLoss(), "stop_test_loss");
        assertNull(c.init(), "init");
        assertEquals(List.of(0L), c.seeds(), "seeds");
        assertEquals("auto", c.backend(), "backend");
        assertEquals(102, c.vocabSize(), "vocab size p + 5");
        assertEquals(256, parse("{\"ops\": [\"add\"], \"model\": {\"d_model\": 64}}").model().dMlp(), "d_mlp = 4 d_model when absent");
    }

    @Test
    void optimizerOptionsRoundTripAndDefaultToAdamW() {
        ExperimentConfig c = parse("{\"ops\": [\"add\"], \"optimizer\": {\"type\": \"adam\", \"warmup_steps\": 10, \"orthogonal\": true,"
                + " \"grad_filter\": {\"type\": \"ema\"}}}");
        assertEquals(new OptimizerConfig(1e-3, 1.0, 0.9, 0.98, 1e-8, GradFilterConfig.defaults("ema"), "adam", 10, true), c.optimizer());
        assertEquals(c, ConfigLoader.parse(ConfigLoader.toJson(c), "again.json"), "config after toJson -> parse");
        OptimizerConfig d = parse("{\"ops\": [\"add\"]}").optimizer();
        assertEquals("adamw", d.type(), "AdamW unless asked");
        assertEquals(0, d.warmupSteps(), "no warm-up unless asked");
        assertEquals(false, d.orthogonal(), "no projection unless asked");
    }

    @Test
    void toJsonRoundTrips() {
        String json = "{\"name\": \"mix\", \"p\": 59, \"ops\": [\"x2_y2\", \"a^3 + b\"], \"format\": \"short\","
                + " \"train_fraction\": 0.5, \"operand_range\": \"p+5\", \"symmetric\": true, \"n_mask\": 2, \"task_tokens\": true,"
                + " \"model\": {\"type\": \"mlp\", \"d_model\": 64, \"num_layers\": 2, \"d_emb\": 50,"
                + " \"act\": \"gelu\", \"weight_scale\": 0.5},"
                + " \"optimizer\": {\"lr\": 0.003, \"weight_decay\": 0.5, \"betas\": [0.8, 0.99], \"eps\": 1e-6},"
                + " \"batch_size\": 512, \"epochs\": 1e4, \"lp\": {\"p\": 1, \"alpha\": 0.01}, \"stop_test_loss\": 0.001,"
                + " \"eval_every\": 5, \"checkpoint_every\": 0, \"fourier_every\": 100, \"seeds\": [0, 1, 2], \"backend\": \"cpu\","
                + " \"init\": {\"checkpoint\": \"runs/add/final.safetensors\", \"load\": [\"embed\"], \"freeze\": [\"embed\"],"
                + " \"freeze_random\": [], \"key_prefix\": \"param.\"}}";
        ExperimentConfig c = parse(json);
        assertEquals("GeLU", c.model().act(), "activation canonicalised");
        assertEquals(10000, c.epochs(), "1e4 is an integer");
        String out = ConfigLoader.toJson(c);
        ExperimentConfig again = ConfigLoader.parse(out, "again.json");
        assertEquals(c, again, "config after toJson -> parse");
        assertEquals(out, ConfigLoader.toJson(again), "toJson is stable");
        ExperimentConfig transformer = parse(json.replace("\"model\": {\"type\": \"mlp\", \"d_model\": 64, \"num_layers\": 2, \"d_emb\": 50,"
                + " \"act\": \"gelu\", \"weight_scale\": 0.5}", "\"model\": {\"d_model\": 64, \"num_layers\": 2, \"num_heads\": 4,"
                + " \"d_mlp\": 100, \"act\": \"gelu\", \"layer_norm\": true, \"positional\": true}"));
        assertEquals(100, transformer.model().dMlp());
        assertEquals(transformer, ConfigLoader.parse(ConfigLoader.toJson(transformer), "again.json"), "a transformer's fields round trip");
        ExperimentConfig defaults = parse("{\"ops\": [\"add\"]}");
        assertEquals(defaults, ConfigLoader.parse(ConfigLoader.toJson(defaults), "x.json"), "defaults round trip");
        assertTrue(out.indexOf("\"name\"") < out.indexOf("\"p\"") && out.indexOf("\"p\"") < out.indexOf("\"ops\""),
                "field order is the record's: " + out);
    }

    @Test
    void copyMethodsOverride() {
        ExperimentConfig c = parse("{\"ops\": [\"add\"]}");
        assertEquals(List.of(3L, 4L), c.withSeeds(List.of(3L, 4L)).seeds(), "withSeeds");
        assertEquals(77, c.withEpochs(77).epochs(), "withEpochs");
        assertEquals(0.6, c.withTrainFraction(0.6).trainFraction(), 0.0, "withTrainFraction");
        assertEquals("cuda", c.withBackend("cuda").backend(), "withBackend");
        ConfigException e = assertThrows(ConfigException.class, () -> c.withBackend("tpu"));
        assertEquals("backend", e.path(), "withBackend validates: " + e.getMessage());
        assertThrows(ConfigException.class, () -> c.withTrainFraction(1.0), "withTrainFraction validates");
    }

    @Test
    void unknownOperationListsTheKnownOnes() {
        fails("{\"ops\": [\"add\", \"x4_q\"]}", "ops[1]", "unknown operation \"x4_q\"", "x2_xy_y2", "subtract");
    }

    @Test
    void badExpressionPointsAtTheCharacter() {
        fails("{\"ops\": [\"a^2 + $b\"]}", "ops[0]", "column 7", "^");
    }

    @Test
    void fractionOutsideOpenInterval() {
        fails("{\"ops\": [\"add\"], \"train_fraction\": 1.0}", "train_fraction", "1.0", "(0, 1)");
        fails("{\"ops\": [\"add\"], \"train_fraction\": 0}", "train_fraction", "0.0", "(0, 1)");
    }

    @Test
    void pBelowTwo() {
        fails("{\"ops\": [\"add\"], \"p\": 1}", "p", "1", "2..");
    }

    @Test
    void multiplicativeOpsNeedAPrime() {
        fails("{\"ops\": [\"division\"], \"p\": 96}", "ops[0]", "prime", "96");
        fails("{\"ops\": [\"add\", \"multiply\"], \"p\": 12}", "ops[1]", "prime", "12");
        parse("{\"ops\": [\"add\"], \"p\": 12}"); // add is fine with any p
    }

    @Test
    void headsMustDivideDModel() {
        fails("{\"ops\": [\"add\"], \"model\": {\"d_model\": 128, \"num_heads\": 5}}", "model.num_heads", "5", "128", "divisor");
    }

    @Test
    void unknownFieldSuggestsTheNearest() {
        fails("{\"ops\": [\"add\"], \"train_fracton\": 0.3}", "train_fracton", "unknown field", "did you mean \"train_fraction\"");
        fails("{\"ops\": [\"add\"], \"model\": {\"d_modle\": 64}}", "model.d_modle", "did you mean \"d_model\"");
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        fails("{\n  \"ops\": [\"add\"],\n  \"p\": 97,,\n}", "", "malformed JSON", "line 3");
        fails("{\"ops\": [\"add\"]} trailing", "", "malformed JSON");
        fails("[1, 2]", "", "JSON object");
    }

    @Test
    void otherFieldErrors() {
        fails("{\"ops\": []}", "ops", "empty");
        fails("{}", "ops", "missing");
        fails("{\"ops\": [\"add\"], \"p\": 97.5}", "p", "97.5", "integer");
        fails("{\"ops\": [\"add\"], \"backend\": \"tpu\"}", "backend", "tpu", "auto, cpu, cpuref, cuda");
        fails("{\"ops\": [\"add\"], \"format\": \"medium\"}", "format", "medium", "short, long");
        fails("{\"ops\": [\"xy_x_y\"], \"format\": \"long\"}", "ops[0]", "no long format");
        fails("{\"ops\": [\"add\"], \"operand_range\": \"2p\"}", "operand_range", "p, p+5");
        fails("{\"ops\": [\"add\"], \"model\": {\"act\": \"tanh\"}}", "model.act", "tanh", "ReLU, GeLU");
        fails("{\"ops\": [\"add\"], \"model\": {\"type\": \"rnn\"}}", "model.type", "rnn", "transformer, mlp");
        fails("{\"ops\": [\"add\"], \"optimizer\": {\"betas\": [0.9]}}", "optimizer.betas", "two numbers");
        fails("{\"ops\": [\"add\"], \"optimizer\": {\"lr\": -1}}", "optimizer.lr", "-1.0", "positive");
        fails("{\"ops\": [\"add\"], \"seeds\": [1, 1]}", "seeds[1]", "twice");
        fails("{\"ops\": [\"add\"], \"epochs\": 0}", "epochs", "at least 1");
        fails("{\"ops\": [\"add\"], \"batch_size\": 0}", "batch_size", "at least 1");
        fails("{\"ops\": [\"add\"], \"symmetric\": \"yes\"}", "symmetric", "true or false");
        fails("{\"ops\": [\"add\", \"add\"]}", "ops", "twice");
        fails("{\"ops\": [\"add\", \"add_z\"]}", "ops", "arities", "add_z");
        fails("{\"ops\": [\"x2_y2\", \"x3_xy\"], \"format\": \"long\"}", "ops", "input lengths");
        fails("{\"ops\": [\"add\"], \"name\": \"a/b\"}", "name", "a/b");
    }

    @Test
    void initSection() {
        ExperimentConfig c = parse("{\"ops\": [\"subtract\"], \"init\": {\"checkpoint\": \"x.safetensors\", \"freeze\": [\"embed\"]}}");
        assertEquals(List.of("full"), c.init().load(), "load defaults to full with a checkpoint");
        ExperimentConfig r = parse("{\"ops\": [\"add\"], \"init\": {\"freeze_random\": [\"embed\"]}}");
        assertEquals(List.of("embed"), r.init().freezeRandom(), "random frozen embedding needs no checkpoint");
        fails("{\"ops\": [\"add\"], \"init\": {\"checkpoint\": \"x\", \"load\": [\"embedd\"]}}", "init.load[0]",
                "embedd", "did you mean \"embed\"");
        fails("{\"ops\": [\"add\"], \"init\": {\"checkpoint\": \"x\", \"load\": [\"embed\"], \"freeze\": [\"unembed\"]}}",
                "init.freeze[0]", "not loaded");
        fails("{\"ops\": [\"add\"], \"init\": {\"load\": [\"embed\"]}}", "init.load", "checkpoint");
        fails("{\"ops\": [\"add\"], \"init\": {\"checkpoint\": \"x\", \"load\": [\"embed\"], \"freeze_random\": [\"embed\"]}}",
                "init.freeze_random[0]", "also loaded");
        ExperimentConfig perSeed = parse("{\"ops\": [\"add\"], \"init\": {\"checkpoint\": \"runs/add/seed_{seed}/final.safetensors\"}}");
        assertEquals("runs/add/seed_7/final.safetensors", perSeed.init().checkpointFor(7), "{seed} is the run's seed");
        assertEquals("x.safetensors", c.init().checkpointFor(7), "a path without {seed} is every seed's");
        fails("{\"ops\": [\"add\"], \"init\": {\"checkpoint\": \"runs/add/seed_{sed}/final.safetensors\"}}",
                "init.checkpoint", "{sed}", "{seed}");
        ExperimentConfig outside = parse("{\"ops\": [\"add\"], \"init\": {\"checkpoint\": \"{out}/src/seed_{seed}/final.safetensors\"}}");
        ConfigException noSweep = assertThrows(ConfigException.class, () -> outside.init().checkpointFor(0));
        assertTrue(noSweep.getMessage().contains("only a sweep file knows"), noSweep.getMessage());
        assertEquals("runs/t1/src/seed_2/final.safetensors", outside.init().withOut("runs/t1").checkpointFor(2),
                "in a sweep, {out} is the sweep's output directory");
    }

    @Test
    void stopTestAccIsAnAccuracyInZeroToOne() {
        assertEquals(0.99, parse("{\"ops\": [\"add\"], \"stop_test_acc\": 0.99}").stopTestAcc(), 0.0);
        assertEquals(null, parse("{\"ops\": [\"add\"]}").stopTestAcc(), "absent: never stop on accuracy");
        for (String bad : new String[]{"0", "-0.5", "1.01", "2"}) {
            fails("{\"ops\": [\"add\"], \"stop_test_acc\": " + bad + "}", "stop_test_acc", "(0, 1]");
        }
    }

    @Test
    void loadNamesTheFile(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"ops\": [\"add\"], \"p\": 0}");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": p: "), "error names the file and field: " + e.getMessage());
        ConfigException missing = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("none.json")));
        assertTrue(missing.getMessage().contains("no such config file"), missing.getMessage());
        Files.writeString(file, "{\"ops\": [\"add\"]}");
        assertEquals("bad", ConfigLoader.load(file).name(), "name from the file stem");
    }
}
