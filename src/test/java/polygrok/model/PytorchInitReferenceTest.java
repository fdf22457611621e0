package polygrok.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import polygrok.backend.Activation;
import polygrok.model.ModelSpec.ModelType;

/**
 * {@code "weight_init": "pytorch"} against what PyTorch's own modules draw by default
 * (src/test/resources/model_options/make_pytorch_init.py: Grokfast's decoder built from nn.Embedding,
 * nn.MultiheadAttention, nn.Linear and nn.LayerNorm, and the StableMax paper's one-hot MLP, each tensor
 * pooled over 64 seeds). The random generators differ, so the values cannot match one by one; the
 * distributions must. polygrok's init, pooled over {@value #SEEDS} seeds, per tensor:
 * <ul>
 *   <li>a tensor PyTorch sets to a constant (LayerNorm, the attention's biases) equals it exactly;</li>
 *   <li>the standard deviation agrees within {@value #STD_TOLERANCE} relative (at least 4 standard
 *       errors of the two estimates for the smallest tensors);</li>
 *   <li>the excess kurtosis within {@value #KURTOSIS_TOLERANCE}, which tells a uniform (-1.2) from a
 *       normal (0);</li>
 *   <li>for a uniform, the largest |value| (its bound) within {@value #BOUND_TOLERANCE} relative.</li>
 * </ul>
 */
class PytorchInitReferenceTest {
    static final int SEEDS = 16;
    static final double STD_TOLERANCE = 0.04, KURTOSIS_TOLERANCE = 0.3, BOUND_TOLERANCE = 0.01;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"grokfast_decoder", "stablemax_mlp"})
    void everyTensorIsDrawnAsPyTorchDrawsIt(String name) throws IOException {
        JsonObject ref = load(name);
        List<String> wrong = mismatches(name, ref, Model.of(spec(ref.getAsJsonObject("model"))));
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"grokfast_decoder", "stablemax_mlp"})
    void theSeedsInitialisationFailsTheSameComparison(String name) throws IOException {
        // the comparison must be able to fail: the seed's normals (W_E 1/sqrt(V), the rest 1/sqrt(d_model))
        // differ from PyTorch's defaults in both models
        JsonObject ref = load(name);
        List<String> wrong = mismatches(name, ref, Model.of(withSeedInit(spec(ref.getAsJsonObject("model")))));
        assertFalse(wrong.isEmpty(), name + ": the seed's initialisation passed as PyTorch's");
    }

    /** Every way in which the model's init, pooled over {@value #SEEDS} seeds, differs from PyTorch's; empty when none. */
    private static List<String> mismatches(String name, JsonObject ref, Model model) {
        List<String> wrong = new ArrayList<>();
        JsonObject tensors = ref.getAsJsonObject("tensors");
        assertEquals(tensors.keySet().stream().sorted().toList(),
                model.layout().specs().stream().map(ParameterSpec::name).sorted().toList(),
                name + ": PyTorch's tensors are the model's");
        double[] values = Initializer.initialValues(model.layout(), LongStream.range(0, SEEDS).toArray());
        long p = model.layout().total();
        for (ParameterSpec s : model.layout().specs()) {
            JsonObject want = tensors.getAsJsonObject(s.name());
            double[] pooled = new double[Math.toIntExact(SEEDS * s.size())];
            for (int m = 0; m < SEEDS; m++) {
                System.arraycopy(values, Math.toIntExact(m * p + s.offset()), pooled, Math.toIntExact(m * s.size()), Math.toIntExact(s.size()));
            }
            String what = name + " " + s.name();
            if (!want.get("constant").isJsonNull()) {
                double c = want.get("constant").getAsDouble();
                for (int i = 0; i < pooled.length; i++) {
                    if (pooled[i] != c) {
                        wrong.add(what + ": PyTorch sets every value to " + c + "; value " + i + " is " + pooled[i]);
                        break;
                    }
                }
                continue;
            }
            Moments got = Moments.of(pooled);
            double std = want.get("std").getAsDouble(), kurtosis = want.get("excess_kurtosis").getAsDouble();
            if (!(Math.abs(got.std / std - 1) <= STD_TOLERANCE)) {
                wrong.add(what + ": std " + got.std + ", PyTorch's " + std + " (tolerance " + STD_TOLERANCE + " relative)");
            }
            if (!(Math.abs(got.kurtosis - kurtosis) <= KURTOSIS_TOLERANCE)) {
                wrong.add(what + ": excess kurtosis " + got.kurtosis + ", PyTorch's " + kurtosis + " (uniform -1.2, normal 0)");
            }
            double bound = want.get("max_abs").getAsDouble();
            if (kurtosis < -0.9 && !(Math.abs(got.maxAbs / bound - 1) <= BOUND_TOLERANCE)) {
                wrong.add(what + ": largest |value| " + got.maxAbs + ", PyTorch's uniform bound " + bound);
            }
        }
        return wrong;
    }

    private record Moments(double std, double kurtosis, double maxAbs) {
        static Moments of(double[] x) {
            double mean = 0;
            for (double v : x) {
                mean += v;
            }
            mean /= x.length;
            double m2 = 0, m4 = 0, maxAbs = 0;
            for (double v : x) {
                double d = v - mean;
                m2 += d * d;
                m4 += d * d * d * d;
                maxAbs = Math.max(maxAbs, Math.abs(v));
            }
            m2 /= x.length;
            m4 /= x.length;
            return new Moments(Math.sqrt(m2), m4 / (m2 * m2) - 3, maxAbs);
        }
    }

    private static ModelSpec spec(JsonObject m) {
        int vocab = m.get("vocab").getAsInt(), nCtx = m.get("n_ctx").getAsInt(), d = m.get("d_model").getAsInt();
        int layers = m.get("num_layers").getAsInt();
        if ("mlp".equals(m.get("type").getAsString())) {
            return new ModelSpec(ModelType.MLP, vocab, nCtx, d, layers, 1, 4 * d, 1, Activation.RELU, false, false, 1.0,
                    false, false, false, true, true);
        }
        return new ModelSpec(ModelType.TRANSFORMER, vocab, nCtx, d, layers, m.get("num_heads").getAsInt(), m.get("d_mlp").getAsInt(),
                1, Activation.GELU, true, true, 1.0, true, true, true, false, true);
    }

    private static ModelSpec withSeedInit(ModelSpec s) {
        return new ModelSpec(s.type(), s.vocab(), s.nCtx(), s.dModel(), s.numLayers(), s.numHeads(), s.dMlp(), s.dEmb(), s.act(),
                s.layerNorm(), s.positional(), s.weightScale(), s.bias(), s.finalLayerNorm(), s.normalisedResidual(), s.oneHotInput(), false);
    }

    private static JsonObject load(String name) throws IOException {
        try (InputStream in = PytorchInitReferenceTest.class.getResourceAsStream("/model_options/pytorch_init.json")) {
            JsonObject all = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
            for (var c : all.getAsJsonArray("cases")) {
                if (c.getAsJsonObject().get("name").getAsString().equals(name)) {
                    return c.getAsJsonObject();
                }
            }
            throw new AssertionError("pytorch_init.json has no case " + name);
        }
    }
}
