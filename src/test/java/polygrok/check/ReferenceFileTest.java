package polygrok.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import polygrok.io.SafeDType;
import polygrok.io.SafeTensor;
import polygrok.io.Safetensors;
import polygrok.io.SafetensorsFile;

class ReferenceFileTest {

    @TempDir
    Path dir;

    private static ReferenceFile load(String name) throws IOException {
        return ReferenceFile.load(ReferenceFiles.named(name));
    }

    private static final List<String> TRANSFORMER_PARAMS_1_LAYER = List.of("blocks.0.attn.W_K", "blocks.0.attn.W_O", "blocks.0.attn.W_Q",
            "blocks.0.attn.W_V", "blocks.0.mlp.W_in", "blocks.0.mlp.W_out", "embed.W_E", "unembed.W_U");

    @Test
    void tinyAdd() throws IOException {
        ReferenceFile r = load("tiny_add");
        assertEquals(new ReferenceConfig("transformer", 13, 18, 32, 4, 8, 64, 1, "ReLU", 3, 48, 1.0), r.config(), "config");
        assertEquals("add", r.op(), "op");
        assertEquals(new ReferenceOptimizer(1e-3, 1.0, 0.9, 0.98, 1e-8), r.optimizer(), "optimizer");
        assertEquals(TRANSFORMER_PARAMS_1_LAYER, List.copyOf(r.params().keySet()), "param names");
        assertArrayEquals(new int[] {32, 18}, r.params().get("embed.W_E").shape(), "embed.W_E shape");
        assertEquals("embed.W_E", r.params().get("embed.W_E").name(), "param renamed without prefix");
        int[][] tokens = r.tokens();
        int[] labels = r.labels();
        assertEquals(24, tokens.length, "batch");
        for (int b = 0; b < tokens.length; b++) {
            assertEquals(3, tokens[b].length, "tokens per example");
            assertEquals(14, tokens[b][1], "op token of example " + b + " must be '+' = p + 1");
            assertEquals((tokens[b][0] + tokens[b][2]) % 13, labels[b], "label of example " + b + ": (a + b) mod 13");
        }
        assertArrayEquals(new int[] {24, 18}, r.logits().shape(), "out.logits shape");
        assertEquals(SafeDType.F32, r.logits().dtype(), "out.logits dtype");
        assertEquals(SafeDType.F64, r.f64Logits().dtype(), "f64.out.logits dtype");
        assertEquals(r.f64Loss(), r.loss(), 1e-5, "float32 and float64 losses of the same weights");
        assertEquals(List.of("blocks.0.attn.pattern", "blocks.0.mlp.pre", "blocks.0.resid_post"), List.copyOf(r.activations().keySet()),
                "activations");
        assertArrayEquals(new int[] {24, 4, 3, 3}, r.activations().get("blocks.0.attn.pattern").shape(), "attention pattern shape");
        assertEquals(SafeDType.F64, r.f64AdamwStep3().get("unembed.W_U").dtype(), "f64.adamw.step3 dtype");
        assertEquals(SafeDType.F32, r.adamwStep1().get("unembed.W_U").dtype(), "adamw.step1 dtype");
        assertEquals(TRANSFORMER_PARAMS_1_LAYER, List.copyOf(r.f64Grads().keySet()), "f64 grad names");
    }

    @Test
    void tinyGeluTwoLayerMultiplies() throws IOException {
        ReferenceFile r = load("tiny_gelu_2layer");
        assertEquals(new ReferenceConfig("transformer", 11, 16, 24, 3, 8, 40, 2, "GeLU", 3, 48, 1.0), r.config(), "config");
        assertEquals("multiply", r.op(), "op");
        assertEquals(14, r.params().size(), "6 parameters per block, 2 blocks, plus embed and unembed");
        assertTrue(r.activations().containsKey("blocks.1.resid_post"), "second block's activations: " + r.activations().keySet());
        int[][] tokens = r.tokens();
        int[] labels = r.labels();
        for (int b = 0; b < tokens.length; b++) {
            assertEquals(14, tokens[b][1], "op token of example " + b + " must be '*' = p + 3");
            assertEquals(tokens[b][0] * tokens[b][2] % 11, labels[b], "label of example " + b + ": (a * b) mod 11");
        }
    }

    @Test
    void seedAddP97() throws IOException {
        ReferenceFile r = load("seed_add_p97");
        assertEquals(new ReferenceConfig("transformer", 97, 102, 128, 4, 32, 512, 1, "ReLU", 3, 48, 1.0), r.config(), "config");
        assertEquals(64, r.labels().length, "batch");
        assertArrayEquals(new int[] {512, 128}, r.grads().get("blocks.0.mlp.W_in").shape(), "grad W_in shape");
    }

    @Test
    void tinyMlp() throws IOException {
        ReferenceFile r = load("tiny_mlp");
        assertEquals("mlp", r.config().model(), "model");
        assertEquals(20, r.config().dEmb(), "d_emb");
        assertEquals(List.of("embed.W_E", "inproj.W", "mlps.0.W", "outproj.W", "unembed.W_U"), List.copyOf(r.params().keySet()), "params");
        assertTrue(r.activations().isEmpty(), "the MLP file holds no activations");
        assertArrayEquals(new int[] {32, 20}, r.adamwStep3().get("inproj.W").shape(), "adamw.step3 inproj.W shape");
    }

    private static Map<String, String> metadataOf(ReferenceFile r) {
        return new LinkedHashMap<>(r.contents().metadata());
    }

    @Test
    void aWrongFormatTagIsRefused() throws IOException {
        Path bad = dir.resolve("bad.safetensors");
        Safetensors.write(bad, SafetensorsFile.of(Map.of("format", "pt"), List.of(SafeTensor.f32("w", new int[] {1}, new double[] {1}))));
        ReferenceFormatException e = assertThrows(ReferenceFormatException.class, () -> ReferenceFile.load(bad));
        assertTrue(e.getMessage().startsWith(bad.toString()) && e.getMessage().contains("\"pt\"")
                && e.getMessage().contains("polygrok-reference-1"), e.getMessage());
        Safetensors.write(bad, SafetensorsFile.of(Map.of(), List.of()));
        assertTrue(assertThrows(ReferenceFormatException.class, () -> ReferenceFile.load(bad)).getMessage().contains("missing"),
                "a file without a format tag");
    }

    @Test
    void aBadConfigOrInconsistentTensorsAreNamed() throws IOException {
        ReferenceFile r = load("tiny_mlp");
        Path bad = dir.resolve("bad.safetensors");

        Map<String, String> meta = metadataOf(r);
        meta.put("config", meta.get("config").replace("\"d_vocab\": 18", "\"d_vocab\": 19"));
        Safetensors.write(bad, new SafetensorsFile(meta, r.contents().tensors()));
        String m = assertThrows(ReferenceFormatException.class, () -> ReferenceFile.load(bad)).getMessage();
        assertTrue(m.contains("d_vocab") && m.contains("19") && m.contains("18"), m);

        meta = metadataOf(r);
        meta.put("optimizer", meta.get("optimizer").replace("\"eps\"", "\"epsilon\""));
        Safetensors.write(bad, new SafetensorsFile(meta, r.contents().tensors()));
        m = assertThrows(ReferenceFormatException.class, () -> ReferenceFile.load(bad)).getMessage();
        assertTrue(m.contains("metadata optimizer lacks field eps"), m);

        Map<String, SafeTensor> tensors = new LinkedHashMap<>(r.contents().tensors());
        tensors.put("grad.inproj.W", SafeTensor.f32("grad.inproj.W", new int[] {20, 32}, new double[640]));
        Safetensors.write(bad, new SafetensorsFile(r.contents().metadata(), tensors));
        m = assertThrows(ReferenceFormatException.class, () -> ReferenceFile.load(bad)).getMessage();
        assertTrue(m.contains("grad.inproj.W") && m.contains("[20, 32]") && m.contains("[32, 20]"), m);

        tensors = new LinkedHashMap<>(r.contents().tensors());
        tensors.put("input.labels", SafeTensor.i64("input.labels", new int[] {24}, new double[24]));
        tensors.get("input.labels").values()[5] = 18;
        Safetensors.write(bad, new SafetensorsFile(r.contents().metadata(), tensors));
        m = assertThrows(ReferenceFormatException.class, () -> ReferenceFile.load(bad)).getMessage();
        assertTrue(m.contains("input.labels") && m.contains("18") && m.contains("[0, 18)"), m);
    }
}
