package polygrok.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import polygrok.backend.Activation;
import polygrok.backend.Backend;
import polygrok.backend.cpu.CpuBackend;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.check.ModelGradientChecks;
import polygrok.model.ModelSpec.ModelType;

/**
 * The interventions' model options (bias, final_layer_norm, residual "normalised", input "one_hot"):
 * the float32 cpu backend gives cpuref's loss and every gradient on the same weights and batch; zero
 * biases compose to the fused ops' numbers; the parameter names, and the models without the options, are
 * as documented.
 */
class ModelOptionsTest {
    /** cpu against cpuref, relative to the largest |value| of the tensor (as TokenTablesTest's float32 comparison). */
    static final double CPU_TOLERANCE = 1e-5;
    /** cpuref composed (bias path with zero biases) against cpuref fused: float64 sums in another order. */
    static final double REF_TOLERANCE = 1e-12;
    static final int MODELS = 2, BATCH = 6;

    static ModelSpec transformer(int layers, Activation act, boolean ln, boolean pos, boolean bias, boolean lnFinal, boolean normalised) {
        return new ModelSpec(ModelType.TRANSFORMER, 11, 3, 8, layers, 2, 12, 0, act, ln, pos, 1, bias, lnFinal, normalised, false);
    }

    static ModelSpec oneHot(int nCtx, int layers, Activation act) {
        return new ModelSpec(ModelType.MLP, 11, nCtx, 10, layers, 1, 1, 1, act, false, false, 1, false, false, false, true);
    }

    static Stream<Arguments> specs() {
        List<ModelSpec> specs = List.of(
                transformer(1, Activation.RELU, false, false, true, false, false),
                transformer(2, Activation.GELU, true, true, true, true, true),
                transformer(2, Activation.RELU, true, false, false, true, false),
                transformer(2, Activation.GELU, true, false, false, false, true),
                oneHot(2, 1, Activation.RELU),
                oneHot(3, 0, Activation.GELU));
        List<Arguments> out = new ArrayList<>();
        for (ModelSpec s : specs) {
            out.add(Arguments.of(s, ForwardOptions.ALL_POSITIONS));
            if (s.type() == ModelType.TRANSFORMER) {
                out.add(Arguments.of(s, ForwardOptions.FAST));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("specs")
    void cpuMatchesCpuref(ModelSpec spec, ForwardOptions options) {
        Model model = Model.of(spec);
        double[] weights = randomWeights(model.layout(), 17);
        Pass ref = pass(new CpuRefBackend(), model, spec, weights, options);
        Pass cpu;
        try (Backend be = new CpuBackend()) {
            cpu = pass(be, model, spec, weights, options);
        }
        assertClose("loss", cpu.loss, ref.loss, CPU_TOLERANCE, spec);
        assertClose("logits", cpu.logits, ref.logits, CPU_TOLERANCE, spec);
        for (ParameterSpec ps : model.layout().specs()) {
            if (ps.name().endsWith("attn.b_K")) {
                assertZero("gradient of " + ps.name(), slice(cpu.grads, model.layout(), ps), CPU_TOLERANCE * largest(ref.grads), spec);
                assertZero("gradient of " + ps.name(), slice(ref.grads, model.layout(), ps), REF_TOLERANCE * largest(ref.grads), spec);
                continue;
            }
            assertClose("gradient of " + ps.name(), slice(cpu.grads, model.layout(), ps), slice(ref.grads, model.layout(), ps),
                    CPU_TOLERANCE, spec);
        }
    }

    /**
     * A key bias adds q . b_K to every score of a query alike, which the softmax ignores: its gradient is
     * exactly zero, so both backends are held to zero, relative to the model's largest gradient.
     */
    static void assertZero(String what, double[] got, double bound, ModelSpec spec) {
        for (int i = 0; i < got.length; i++) {
            if (!(Math.abs(got[i]) <= bound)) {
                fail(what + "[" + i + "]: " + got[i] + ", should be 0 (bound " + bound + ") for " + spec);
            }
        }
    }

    static double largest(double[] values) {
        double m = 0;
        for (double v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** With zero biases the composed attention and MLP are the fused ones: the same logits and weight gradients. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("biasPairs")
    void zeroBiasesComposeToTheFusedOps(ModelSpec plain, ModelSpec biased) {
        Model a = Model.of(plain), b = Model.of(biased);
        double[] w = randomWeights(a.layout(), 3);
        double[] wb = new double[Math.toIntExact(MODELS * b.layout().total())];
        for (ParameterSpec ps : a.layout().specs()) {
            ParameterSpec to = b.layout().spec(ps.name());
            for (int m = 0; m < MODELS; m++) {
                System.arraycopy(w, (int) (m * a.layout().total() + ps.offset()), wb, (int) (m * b.layout().total() + to.offset()),
                        (int) ps.size());
            }
        }
        for (ForwardOptions options : List.of(ForwardOptions.FAST, ForwardOptions.ALL_POSITIONS)) {
            Pass fused = pass(new CpuRefBackend(), a, plain, w, options), composed = pass(new CpuRefBackend(), b, biased, wb, options);
            assertClose("logits", composed.logits, fused.logits, REF_TOLERANCE, biased);
            for (ParameterSpec ps : a.layout().specs()) {
                assertClose("gradient of " + ps.name(), slice(composed.grads, b.layout(), b.layout().spec(ps.name())),
                        slice(fused.grads, a.layout(), ps), REF_TOLERANCE, biased);
            }
        }
    }

    static Stream<Arguments> biasPairs() {
        return Stream.of(
                Arguments.of(transformer(1, Activation.RELU, false, false, false, false, false),
                        transformer(1, Activation.RELU, false, false, true, false, false)),
                Arguments.of(transformer(2, Activation.GELU, true, true, false, false, false),
                        transformer(2, Activation.GELU, true, true, true, false, false)));
    }

    @Test
    void parameterNamesFollowTheCheckpointStyle() {
        ModelSpec all = transformer(1, Activation.RELU, true, true, true, true, true);
        assertEquals(List.of("embed.W_E", "pos_embed.W_pos", "blocks.0.ln1.w", "blocks.0.ln1.b", "blocks.0.attn.W_K",
                        "blocks.0.attn.W_Q", "blocks.0.attn.W_V", "blocks.0.attn.W_O", "blocks.0.attn.b_K", "blocks.0.attn.b_Q",
                        "blocks.0.attn.b_V", "blocks.0.attn.b_O", "blocks.0.ln2.w", "blocks.0.ln2.b", "blocks.0.mlp.W_in",
                        "blocks.0.mlp.b_in", "blocks.0.mlp.W_out", "blocks.0.mlp.b_out", "ln_final.w", "ln_final.b", "unembed.W_U"),
                names(all));
        assertEquals(List.of("input.W", "mlps.0.W", "output.W"), names(oneHot(2, 1, Activation.RELU)));
        assertEquals(polygrok.tensor.Shape.of(10, 22), Model.of(oneHot(2, 1, Activation.RELU)).layout().spec("input.W").shape());
        assertEquals(polygrok.tensor.Shape.of(11, 10), Model.of(oneHot(2, 1, Activation.RELU)).layout().spec("output.W").shape());
        // without the options: the seed's parameters, nothing added
        assertEquals(List.of("embed.W_E", "blocks.0.attn.W_K", "blocks.0.attn.W_Q", "blocks.0.attn.W_V", "blocks.0.attn.W_O",
                "blocks.0.mlp.W_in", "blocks.0.mlp.W_out", "unembed.W_U"), names(ModelSpec.paperTransformer(102, 3)));
        assertEquals(List.of("embed.W_E", "inproj.W", "mlps.0.W", "outproj.W", "unembed.W_U"),
                names(new ModelSpec(ModelType.MLP, 11, 2, 10, 1, 1, 1, 6, Activation.RELU, false, false, 1)));
    }

    @Test
    void biasesStartAtZeroAndTheOneHotLayersAtOneOverRootFanIn() {
        ParameterLayout t = Model.of(transformer(1, Activation.RELU, true, false, true, true, false)).layout();
        for (String n : List.of("blocks.0.attn.b_Q", "blocks.0.attn.b_K", "blocks.0.attn.b_V", "blocks.0.attn.b_O",
                "blocks.0.mlp.b_in", "blocks.0.mlp.b_out", "ln_final.b")) {
            assertEquals(ParameterSpec.Init.constant(0), t.spec(n).init(), n);
        }
        assertEquals(ParameterSpec.Init.constant(1), t.spec("ln_final.w").init(), "ln_final.w");
        ModelSpec s = new ModelSpec(ModelType.MLP, 118, 2, 200, 1, 1, 1, 1, Activation.RELU, false, false, 0.5, false, false, false, true);
        ParameterLayout m = Model.of(s).layout();
        assertEquals(0.5 / Math.sqrt(2 * 118), m.spec("input.W").init().std(), 1e-15, "input.W");
        assertEquals(0.5 / Math.sqrt(200), m.spec("mlps.0.W").init().std(), 1e-15, "mlps.0.W");
        assertEquals(0.5 / Math.sqrt(200), m.spec("output.W").init().std(), 1e-15, "output.W");
    }

    @Test
    void aOneHotTokenOutsideTheVocabularyIsRefused() {
        ModelSpec spec = oneHot(2, 1, Activation.RELU);
        Backend be = new CpuRefBackend();
        Model model = Model.of(spec);
        ModelGroup g = new ModelGroup(be, model, List.of(OptimizerSettings.paper()), Set.of());
        var tokens = be.ints(polygrok.tensor.Shape.of(1, 1, 2), new int[]{3, 11});
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> g.logits(tokens, ForwardOptions.FAST));
        assertTrue(e.getMessage().contains("one-hot input: token 11"), e.getMessage());
    }

    @Test
    void theOptionsAreRefusedOnABackendThatHasNotRunThem() {
        Backend ref = new CpuRefBackend();
        Backend cuda = (Backend) java.lang.reflect.Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[]{Backend.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "name" -> "cuda";
                    case "hasModelOptions" -> false;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        BackendOptions.check(cuda, ModelSpec.paperTransformer(11, 3));
        try (Backend cpu = new CpuBackend()) {
            assertTrue(ref.hasModelOptions() && cpu.hasModelOptions(), "the CPU backends run the options");
        }
        String[][] cases = {{"model.bias", "t"}, {"model.final_layer_norm", "f"}, {"model.residual \"normalised\"", "n"},
            {"model.input \"one_hot\"", "o"}};
        List<ModelSpec> specs = List.of(transformer(1, Activation.RELU, false, false, true, false, false),
                transformer(1, Activation.RELU, false, false, false, true, false),
                transformer(1, Activation.RELU, true, false, false, false, true), oneHot(2, 1, Activation.RELU));
        for (int i = 0; i < cases.length; i++) {
            ModelSpec s = specs.get(i);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> BackendOptions.check(cuda, s));
            assertTrue(e.getMessage().startsWith(cases[i][0] + ": the cuda backend") && e.getMessage().contains("not yet run on a GPU")
                    && e.getMessage().contains("--backend cpu"), e.getMessage());
        }
    }

    private static List<String> names(ModelSpec spec) {
        return Model.of(spec).layout().specs().stream().map(ParameterSpec::name).toList();
    }

    /** Every parameter of MODELS models drawn from N(0, 0.5^2), biases and LayerNorm parameters included (not their init). */
    static double[] randomWeights(ParameterLayout layout, long seed) {
        Random rng = new Random(seed);
        double[] w = new double[Math.toIntExact(MODELS * layout.total())];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.5 * rng.nextGaussian();
        }
        return w;
    }

    private record Pass(double[] loss, double[] logits, double[] grads) {
    }

    private static Pass pass(Backend be, Model model, ModelSpec spec, double[] weights, ForwardOptions options) {
        ModelGroup group = new ModelGroup(be, model, Collections.nCopies(MODELS, OptimizerSettings.paper()), Set.of());
        be.upload(group.params().block(), weights);
        Batch batch = ModelGradientChecks.randomBatch(be, spec, MODELS, BATCH, 42);
        double[] loss = be.toDoubles(group.forwardBackward(batch, options).loss());
        double[] grads = be.toDoubles(group.grads().block());
        return new Pass(loss, be.toDoubles(group.logits(batch.tokens(), options)), grads);
    }

    private static double[] slice(double[] block, ParameterLayout layout, ParameterSpec ps) {
        double[] out = new double[(int) (MODELS * ps.size())];
        for (int m = 0; m < MODELS; m++) {
            System.arraycopy(block, (int) (m * layout.total() + ps.offset()), out, (int) (m * ps.size()), (int) ps.size());
        }
        return out;
    }

    private static void assertClose(String what, double[] got, double[] expected, double tolerance, ModelSpec spec) {
        assertEquals(expected.length, got.length, what + ": lengths");
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertTrue(scale > 0, what + " is all zeros for " + spec + ": nothing compared");
        for (int i = 0; i < got.length; i++) {
            if (!(Math.abs(got[i] - expected[i]) <= tolerance * scale)) {
                fail(what + "[" + i + "]: " + got[i] + " vs reference " + expected[i] + " (largest |value| " + scale + ", tolerance "
                        + tolerance + " relative to it) for " + spec);
            }
        }
    }
}
