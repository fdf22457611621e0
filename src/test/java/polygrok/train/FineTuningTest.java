package polygrok.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.check.ReferenceFiles;
import polygrok.config.ConfigLoader;
import polygrok.config.ExperimentConfig;
import polygrok.config.InitConfig;
import polygrok.io.SafeDType;
import polygrok.io.SafeTensor;
import polygrok.io.Safetensors;
import polygrok.io.SafetensorsFile;
import polygrok.model.Initializer;
import polygrok.model.ModelSpec;
import polygrok.model.ParameterLayout;
import polygrok.model.ParameterSpec;

/**
 * Fine-tuning on cpuref with tiny models: what is loaded starts from the checkpoint, what is frozen
 * ends bitwise where it started (no update, no decay), what is not frozen moves, and every mismatch
 * between checkpoint and model is an error naming the tensor, both shapes and the config fields.
 */
class FineTuningTest {
    /** p 11, d_model 16: a few seconds for tens of epochs on the float64 reference backend. */
    static final String TINY = """
            {"name": "%s", "p": 11, "ops": ["%s"], "train_fraction": 0.6,
             "model": {"d_model": 16, "num_heads": 2, "d_mlp": 32},
             "optimizer": {"lr": 0.01}, "epochs": %d, "eval_every": 5, "checkpoint_every": 0,
             "seeds": [%d], "backend": "cpuref"}""";
    /** The shapes of the reference file tiny_add (src/test/resources/reference): p 13, d_model 32, 4 heads, d_mlp 64. */
    static final String TINY_ADD_SHAPES = """
            {"name": "%s", "p": %d, "ops": ["add"], "train_fraction": 0.5,
             "model": {"d_model": %d, "num_heads": 4, "d_mlp": %d, "num_layers": %d},
             "optimizer": {"lr": 0.003}, "epochs": 6, "eval_every": 5, "checkpoint_every": 0,
             "seeds": [0], "backend": "cpuref"}""";

    static ExperimentConfig tiny(String name, String op, int epochs, long seed) {
        return ConfigLoader.parse(TINY.formatted(name, op, epochs, seed), name + ".json");
    }

    static ExperimentConfig tinyAddShapes(String name, int p, int dModel, int dMlp, int layers) {
        return ConfigLoader.parse(TINY_ADD_SHAPES.formatted(name, p, dModel, dMlp, layers), name + ".json");
    }

    /** Trains a config the way `polygrok train` does, on cpuref, checkpoints in float64. */
    static List<RunResult> train(ExperimentConfig c, Path out) throws IOException {
        ModelSpec spec = Experiments.modelSpec(c, Experiments.firstSplit(c));
        Map<Long, InitialWeights> initBySeed = InitialWeights.resolveSeeds(c.init(), polygrok.model.Model.of(spec).layout(), c.seeds());
        Trainer.Plan plan = Experiments.plan(c, spec, initBySeed.get(c.seeds().get(0)), false, SafeDType.F64);
        return new Trainer(new CpuRefBackend(), plan, Experiments.runs(c, out, initBySeed), new Trainer.Listener() {
            @Override
            public void message(String text) {
            }
        }, null, null).train();
    }

    static Map<String, double[]> params(Path checkpoint, ExperimentConfig c) throws IOException {
        return Checkpoints.read(checkpoint, Experiments.layout(c)).params();
    }

    static Path checkpoint(Path out, ExperimentConfig c, String which) {
        return out.resolve(c.name()).resolve("seed_" + c.seeds().get(0)).resolve("checkpoints").resolve(which + ".safetensors");
    }

    /** Fails at the first element whose bits differ, naming tensor, index and both values. */
    static void assertBitwise(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                throw new AssertionError(what + ": index " + i + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }

    /** Largest |a - b|: for tensors that must have moved. */
    static double maxAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** The seeded random values of one parameter for one seed, as a fresh run draws them. */
    static double[] freshValues(ParameterLayout layout, String name, long seed) {
        ParameterSpec s = layout.spec(name);
        double[] all = Initializer.initialValues(layout, new long[]{seed});
        return java.util.Arrays.copyOfRange(all, (int) s.offset(), (int) (s.offset() + s.size()));
    }

    static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void aSeedPlaceholderGivesEachSeedItsOwnSourceSeed(@TempDir Path out) throws Exception {
        ExperimentConfig pre = tiny("pre_add", "add", 10, 3).withSeeds(List.of(3L, 4L));
        train(pre, out);
        String pattern = out.resolve("pre_add").toString() + "/seed_{seed}/checkpoints/final.safetensors";
        ExperimentConfig ft = tiny("ft_subtract", "subtract", 5, 3).withSeeds(List.of(3L, 4L))
                .withInit(new InitConfig(pattern, List.of("embed"), List.of("embed"), null, null));
        train(ft, out);
        for (long seed : List.of(3L, 4L)) {
            Path source = out.resolve("pre_add/seed_" + seed + "/checkpoints/final.safetensors");
            Path tuned = out.resolve("ft_subtract/seed_" + seed + "/checkpoints/final.safetensors");
            assertBitwise(params(source, pre).get("embed.W_E"), params(tuned, ft).get("embed.W_E"),
                    "seed " + seed + ": frozen embed.W_E against the source's seed " + seed);
            JsonObject provenance = JsonParser.parseString(Files.readString(out.resolve("ft_subtract/seed_" + seed + "/config.json")))
                    .getAsJsonObject().getAsJsonObject(ConfigLoader.PROVENANCE);
            assertEquals(source.toString(), provenance.get("init_checkpoint").getAsString(), "seed " + seed + ": provenance");
            assertEquals(sha256(source), provenance.get("init_checkpoint_sha256").getAsString(), "seed " + seed + ": digest");
        }
        assertTrue(maxAbsDiff(params(out.resolve("pre_add/seed_3/checkpoints/final.safetensors"), pre).get("embed.W_E"),
                params(out.resolve("pre_add/seed_4/checkpoints/final.safetensors"), pre).get("embed.W_E")) > 0,
                "the two source seeds differ, so the check above tells them apart");

        ExperimentConfig missing = ft.withSeeds(List.of(3L, 5L));
        IOException e = assertThrows(IOException.class, () -> train(missing, out));
        assertTrue(e.getMessage().contains("seed_5") && e.getMessage().contains("for seed 5"), e.getMessage());
    }

    @Test
    void loadedTensorsStartFromTheCheckpointFrozenOnesStayBitwiseAndTheRestMove(@TempDir Path out) throws Exception {
        ExperimentConfig pre = tiny("pre_add", "add", 30, 1);
        train(pre, out);
        Path ckpt = checkpoint(out, pre, "final");
        Map<String, double[]> loaded = params(ckpt, pre);

        ExperimentConfig ft = tiny("ft_subtract", "subtract", 15, 2)
                .withInit(new InitConfig(ckpt.toString(), List.of("embed", "transformer"), List.of("embed"), null, null));
        train(ft, out);
        ParameterLayout layout = Experiments.layout(ft);
        Map<String, double[]> init = params(checkpoint(out, ft, "init"), ft);
        Map<String, double[]> fin = params(checkpoint(out, ft, "final"), ft);

        assertBitwise(loaded.get("embed.W_E"), fin.get("embed.W_E"), "frozen embed.W_E after fine-tuning vs the checkpoint");
        List<String> transformer = InitialWeights.component("transformer", layout);
        assertTrue(transformer.size() >= 6, "blocks.0 attention and MLP tensors: " + transformer);
        for (String name : transformer) {
            assertBitwise(loaded.get(name), init.get(name), "loaded, unfrozen " + name + " at init vs the checkpoint");
            double moved = maxAbsDiff(init.get(name), fin.get(name));
            assertTrue(moved > 1e-4, "unfrozen " + name + " should move in 15 epochs at lr 0.01; max |change| " + moved);
        }
        // not loaded: the fine-tuning seed's own random values, then trained
        assertBitwise(freshValues(layout, "unembed.W_U", 2), init.get("unembed.W_U"), "unloaded unembed.W_U at init vs seed 2's draw");
        double moved = maxAbsDiff(init.get("unembed.W_U"), fin.get("unembed.W_U"));
        assertTrue(moved > 1e-4, "unembed.W_U should move; max |change| " + moved);
        // a frozen tensor has no optimizer state either
        ModelState state = Checkpoints.read(checkpoint(out, ft, "final"), layout);
        assertEquals(0.0, maxAbsDiff(state.moment1().get("embed.W_E"), new double[loaded.get("embed.W_E").length]),
                "opt.m.embed.W_E of a frozen tensor");

        // the run's config.json says where its weights came from, and reads back as a config
        Path configJson = out.resolve("ft_subtract/seed_2/config.json");
        JsonObject provenance = JsonParser.parseString(Files.readString(configJson)).getAsJsonObject()
                .getAsJsonObject(ConfigLoader.PROVENANCE);
        assertNotNull(provenance, "config.json has a provenance section: " + Files.readString(configJson));
        assertEquals(ckpt.toString(), provenance.get("init_checkpoint").getAsString(), "provenance.init_checkpoint");
        assertEquals(sha256(ckpt), provenance.get("init_checkpoint_sha256").getAsString(), "provenance.init_checkpoint_sha256");
        ExperimentConfig back = ConfigLoader.load(configJson);
        assertEquals(ft.init(), back.init(), "init section of the run's config.json");
    }

    @Test
    void freezeRandomKeepsTheSeedsRandomEmbeddingBitwise(@TempDir Path out) throws IOException {
        ExperimentConfig c = tiny("random_frozen", "add", 15, 3).withInit(new InitConfig(null, null, null, List.of("embed"), null));
        train(c, out);
        ParameterLayout layout = Experiments.layout(c);
        Map<String, double[]> fin = params(checkpoint(out, c, "final"), c);
        assertBitwise(freshValues(layout, "embed.W_E", 3), fin.get("embed.W_E"), "random frozen embed.W_E after training");
        for (String name : List.of("blocks.0.mlp.W_in", "unembed.W_U")) {
            double moved = maxAbsDiff(freshValues(layout, name, 3), fin.get(name));
            assertTrue(moved > 1e-4, name + " is not frozen and should move; max |change| " + moved);
        }
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("random_frozen/seed_3/config.json"))).getAsJsonObject();
        assertTrue(!json.has(ConfigLoader.PROVENANCE), "no checkpoint, no provenance: " + json);
    }

    static Path tinyAddReference() {
        return ReferenceFiles.named("tiny_add");
    }

    @Test
    void aReferenceFileLoadsWithTheKeyPrefixParam(@TempDir Path out) throws IOException {
        Path ref = tinyAddReference();
        SafetensorsFile file = Safetensors.read(ref);
        ExperimentConfig c = tinyAddShapes("from_reference", 13, 32, 64, 1)
                .withInit(new InitConfig(ref.toString(), List.of("full"), List.of("transformer"), null, "param."));
        train(c, out);
        ParameterLayout layout = Experiments.layout(c);
        Map<String, double[]> init = params(checkpoint(out, c, "init"), c);
        Map<String, double[]> fin = params(checkpoint(out, c, "final"), c);
        for (ParameterSpec s : layout.specs()) {
            SafeTensor t = file.tensor("param." + s.name());
            assertBitwise(t.values(), init.get(s.name()), s.name() + " at init vs param." + s.name() + " of " + ref.getFileName());
        }
        for (String name : InitialWeights.component("transformer", layout)) {
            assertBitwise(file.tensor("param." + name).values(), fin.get(name), "frozen " + name + " after training");
        }
        double moved = maxAbsDiff(init.get("embed.W_E"), fin.get("embed.W_E"));
        assertTrue(moved > 1e-5, "embed.W_E is loaded but not frozen and should move; max |change| " + moved);
    }

    static String resolveError(ExperimentConfig c) {
        IOException e = assertThrows(IOException.class,
                () -> InitialWeights.resolve(c.init(), Experiments.layout(c), c.seeds().get(0)), "resolving " + c.init());
        return e.getMessage();
    }

    static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "error should mention \"" + part + "\": " + message);
        }
    }

    @Test
    void aTensorMissingUnderTheGivenPrefixIsNamedWithThePrefixThatWouldWork() {
        Path ref = tinyAddReference();
        String m = resolveError(tinyAddShapes("no_prefix", 13, 32, 64, 1).withInit(new InitConfig(ref.toString(), null, null, null, null)));
        assertMentions(m, "no tensor 'embed.W_E'", "'full'", "param.embed.W_E", "key_prefix", "\"param.\"");
    }

    @Test
    void aLayerTheCheckpointLacksNamesNumLayers() {
        Path ref = tinyAddReference();
        String m = resolveError(tinyAddShapes("two_layers", 13, 32, 64, 2)
                .withInit(new InitConfig(ref.toString(), List.of("transformer"), null, null, "param.")));
        assertMentions(m, "no tensor 'param.blocks.1.", "'transformer'", "model.num_layers");
    }

    @Test
    void anotherPNamesTheTensorBothShapesAndP() {
        Path ref = tinyAddReference();
        String m = resolveError(tinyAddShapes("p11", 11, 32, 64, 1)
                .withInit(new InitConfig(ref.toString(), List.of("embed"), null, null, "param.")));
        assertMentions(m, "'param.embed.W_E'", "[32, 18]", "[32, 16]", "embed.W_E", "check p and d_model",
                "vocabulary is 18 (p 13", "this model's 16 (p 11");
    }

    @Test
    void anotherDModelNamesTheTensorBothShapesAndDModel() {
        Path ref = tinyAddReference();
        String m = resolveError(tinyAddShapes("d16", 13, 16, 64, 1)
                .withInit(new InitConfig(ref.toString(), List.of("unembed"), null, null, "param.")));
        assertMentions(m, "'param.unembed.W_U'", "[32, 18]", "[16, 18]", "check p and d_model",
                "d_model (or d_emb) is 32, this model's 16");
    }

    @Test
    void anotherDMlpNamesTheTensorBothShapesAndDMlp() {
        Path ref = tinyAddReference();
        String m = resolveError(tinyAddShapes("mlp48", 13, 32, 48, 1)
                .withInit(new InitConfig(ref.toString(), List.of("transformer"), null, null, "param.")));
        assertMentions(m, "'param.blocks.0.mlp.W_in'", "[64, 32]", "[48, 32]", "model.d_model and model.d_mlp");
    }

    @Test
    void aMissingOrBrokenCheckpointFileIsNamed(@TempDir Path dir) throws IOException {
        ExperimentConfig c = tiny("t", "add", 1, 0);
        Path missing = dir.resolve("nothing_here.safetensors");
        assertMentions(resolveError(c.withInit(new InitConfig(missing.toString(), null, null, null, null))),
                "init.checkpoint", "no such file", "nothing_here.safetensors");
        Path broken = dir.resolve("broken.safetensors");
        Files.writeString(broken, "not a safetensors file");
        assertMentions(resolveError(c.withInit(new InitConfig(broken.toString(), null, null, null, null))), "broken.safetensors");
    }
}
