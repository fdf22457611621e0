package polygrok.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import polygrok.backend.Activation;
import polygrok.backend.Backend;
import polygrok.backend.cpu.CpuBackend;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.model.ModelSpec.ModelType;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * The model options against PyTorch in float64 (src/test/resources/model_options/make_reference.py,
 * written from the definitions): a 2-layer transformer with every option (LayerNorm, positions, biases,
 * final LayerNorm, the normalised residual, GELU), one with biases and a final LayerNorm on the plain
 * stream (ReLU, no positions), and the one-hot MLP, all weights drawn at random. The loss, the logits
 * and every gradient, through the full forward and the last-position one: cpuref to 1e-10 relative to
 * the tensor's largest value, the float32 cpu backend to 1e-4 ({@link polygrok.check.ReferenceCheck#F32_TOLERANCE},
 * the whole-model float32 figure). Measured on cpu: at most 1.35e-5, on the second block's query
 * gradients of the model without LayerNorm, where PyTorch's own float32 pass is 1.14e-5 off its float64
 * one: the conditioning of those gradients, not the backend.
 */
class ModelOptionsReferenceTest {

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"every_option, cpuref, 1e-10", "bias_final_ln_stream, cpuref, 1e-10", "one_hot_mlp, cpuref, 1e-10",
        "every_option, cpu, 1e-4", "bias_final_ln_stream, cpu, 1e-4", "one_hot_mlp, cpu, 1e-4"})
    void lossLogitsAndGradientsMatchPyTorch(String name, String backendName, double tolerance) throws IOException {
        JsonObject ref = load().getAsJsonObject(name);
        ModelSpec spec = spec(ref.getAsJsonObject("config"));
        Model model = Model.of(spec);
        JsonObject params = ref.getAsJsonObject("params"), grads = ref.getAsJsonObject("grads");
        assertEquals(model.layout().specs().stream().map(ParameterSpec::name).sorted().toList(),
                params.keySet().stream().sorted().toList(), name + ": the reference's parameters are the model's");
        List<ForwardOptions> passes = spec.type() == ModelType.MLP ? List.of(ForwardOptions.ALL_POSITIONS)
                : List.of(ForwardOptions.ALL_POSITIONS, ForwardOptions.FAST);
        try (Backend be = "cpu".equals(backendName) ? new CpuBackend() : new CpuRefBackend()) {
            for (ForwardOptions options : passes) {
                String what = name + " on " + backendName + (options.lastPositionOnly() ? " (last position only)" : "");
                ModelGroup group = new ModelGroup(be, model, List.of(OptimizerSettings.paper()), Set.of());
                for (ParameterSpec ps : model.layout().specs()) {
                    JsonObject p = params.getAsJsonObject(ps.name());
                    org.junit.jupiter.api.Assertions.assertArrayEquals(ps.shape().dims(), ints(p.getAsJsonArray("shape")),
                            what + ": shape of " + ps.name());
                    be.upload(group.params().view(ps.name()), doubles(p.getAsJsonArray("values")));
                }
                Batch batch = batch(be, ref, spec);
                double loss = be.toDoubles(group.forwardBackward(batch, options).loss())[0];
                double want = ref.get("loss").getAsDouble();
                assertTrue(Math.abs(loss - want) <= tolerance * Math.abs(want), what + ": loss " + loss + ", PyTorch " + want);
                double[] allGrads = be.toDoubles(group.grads().block());
                double largestGrad = ModelOptionsTest.largest(allGrads);
                compare(what, "logits", be.toDoubles(group.logits(batch.tokens(), options)), doubles(ref.getAsJsonArray("logits")),
                        tolerance);
                for (ParameterSpec ps : model.layout().specs()) {
                    double[] got = be.toDoubles(group.grads().view(ps.name()));
                    if (ps.name().endsWith("attn.b_K")) {
                        // the softmax ignores a key bias: its gradient is 0 (PyTorch's too, to rounding)
                        ModelOptionsTest.assertZero(what + ": gradient of " + ps.name(), got, tolerance * largestGrad, spec);
                        continue;
                    }
                    compare(what, "gradient of " + ps.name(), got, doubles(grads.getAsJsonArray(ps.name())), tolerance);
                }
            }
        }
    }

    static JsonObject load() throws IOException {
        try (InputStream in = ModelOptionsReferenceTest.class.getResourceAsStream("/model_options/reference.json")) {
            assertTrue(in != null, "model_options/reference.json is missing from the test resources");
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    static ModelSpec spec(JsonObject c) {
        boolean transformer = "transformer".equals(c.get("type").getAsString());
        int vocab = c.get("vocab").getAsInt(), nCtx = c.get("n_ctx").getAsInt(), d = c.get("d_model").getAsInt();
        int layers = c.get("num_layers").getAsInt();
        Activation act = Activation.parse(c.get("act").getAsString());
        if (!transformer) {
            return new ModelSpec(ModelType.MLP, vocab, nCtx, d, layers, 1, 1, 1, act, false, false, 1, false, false, false, true);
        }
        return new ModelSpec(ModelType.TRANSFORMER, vocab, nCtx, d, layers, c.get("num_heads").getAsInt(), c.get("d_mlp").getAsInt(),
                0, act, c.get("layer_norm").getAsBoolean(), c.get("positional").getAsBoolean(), 1, c.get("bias").getAsBoolean(),
                c.get("final_layer_norm").getAsBoolean(), "normalised".equals(c.get("residual").getAsString()), false);
    }

    /** The reference's batch for one model, each example weighted 1 / B (PyTorch's mean cross-entropy). */
    private static Batch batch(Backend be, JsonObject ref, ModelSpec spec) {
        JsonArray rows = ref.getAsJsonArray("tokens");
        int b = rows.size(), t = spec.nCtx();
        int[] tokens = new int[b * t];
        for (int i = 0; i < b; i++) {
            int[] row = ints(rows.get(i).getAsJsonArray());
            System.arraycopy(row, 0, tokens, i * t, t);
        }
        Tensor weights = be.zeros(Shape.of(1, b));
        double[] w = new double[b];
        java.util.Arrays.fill(w, 1.0 / b);
        be.upload(weights, w);
        return new Batch(be.ints(Shape.of(1, b, t), tokens), be.ints(Shape.of(1, b), ints(ref.getAsJsonArray("labels"))), weights);
    }

    private static void compare(String what, String tensor, double[] got, double[] want, double tolerance) {
        assertEquals(want.length, got.length, what + ": size of " + tensor);
        double scale = ModelOptionsTest.largest(want);
        assertTrue(scale > 0, what + ": PyTorch's " + tensor + " is all zeros, nothing to compare");
        for (int i = 0; i < got.length; i++) {
            if (!(Math.abs(got[i] - want[i]) <= tolerance * scale)) {
                fail(what + ": " + tensor + "[" + i + "] = " + got[i] + ", PyTorch " + want[i] + " (largest |value| " + scale
                        + ", tolerance " + tolerance + " relative to it)");
            }
        }
    }

    private static double[] doubles(JsonArray a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }

    private static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }
}
