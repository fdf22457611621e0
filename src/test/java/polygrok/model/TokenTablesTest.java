package polygrok.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import polygrok.backend.Activation;
import polygrok.backend.Backend;
import polygrok.backend.cpu.CpuBackend;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.check.ModelGradientChecks;
import polygrok.model.ModelSpec.ModelType;
import polygrok.model.Batch;
import polygrok.model.ModelGroup;
import polygrok.model.OptimizerSettings;

/**
 * The first block computed from per-vocabulary tables gives the logits and every gradient of the
 * plain path (projections of every position), on the same weights and batch: to rounding in float64
 * on cpuref, within float32 rounding on cpu. The same for the MLP model's tables (inproj folded into a
 * table of the vocabulary, outproj and the unembedding into one map).
 */
class TokenTablesTest {
    /** cpuref: the two paths differ only in the order of float64 sums. */
    static final double REF_TOLERANCE = 1e-12;
    /** cpu: float32 sums in a different order (relative to the largest magnitude of the tensor). */
    static final double CPU_TOLERANCE = 1e-5;
    static final int MODELS = 3, BATCH = 7;

    static Stream<Arguments> cases() {
        ModelSpec oneLayer = new ModelSpec(ModelType.TRANSFORMER, 11, 3, 8, 1, 2, 12, 0, Activation.RELU, false, false, 1);
        ModelSpec twoLayersLn = new ModelSpec(ModelType.TRANSFORMER, 11, 3, 8, 2, 4, 12, 0, Activation.GELU, true, false, 1);
        ModelSpec longContext = new ModelSpec(ModelType.TRANSFORMER, 6, 5, 12, 1, 3, 10, 0, Activation.RELU, false, false, 1);
        ModelSpec positional = new ModelSpec(ModelType.TRANSFORMER, 11, 3, 8, 1, 2, 12, 0, Activation.RELU, false, true, 1);
        ModelSpec twoLayersLnPositional = new ModelSpec(ModelType.TRANSFORMER, 9, 4, 8, 2, 2, 12, 0, Activation.GELU, true, true, 1);
        ModelSpec mlp = new ModelSpec(ModelType.MLP, 11, 3, 10, 1, 1, 1, 6, Activation.RELU, false, false, 1);
        ModelSpec mlpTwoLayersGelu = new ModelSpec(ModelType.MLP, 13, 4, 9, 2, 1, 1, 7, Activation.GELU, false, false, 1);
        ModelSpec mlpNoHidden = new ModelSpec(ModelType.MLP, 11, 2, 8, 0, 1, 1, 12, Activation.RELU, false, false, 1);
        ModelSpec mlpOneHot = new ModelSpec(ModelType.MLP, 11, 2, 10, 1, 1, 1, 1, Activation.RELU, false, false, 1,
                false, false, false, true);
        return Stream.of(oneLayer, twoLayersLn, longContext, positional, twoLayersLnPositional, mlp, mlpTwoLayersGelu, mlpNoHidden, mlpOneHot).flatMap(spec -> Stream.of(
                Arguments.of(spec, ForwardOptions.FAST), Arguments.of(spec, ForwardOptions.ALL_POSITIONS)));
    }

    private static Model withTables(ModelSpec spec, boolean tables) {
        return spec.type() == ModelType.MLP ? new MlpModel(spec, tables) : new Transformer(spec, tables);
    }

    @ParameterizedTest(name = "cpuref {0} {1}")
    @MethodSource("cases")
    void cpurefTablesMatchProjections(ModelSpec spec, ForwardOptions options) {
        compare(new CpuRefBackend(), spec, options, REF_TOLERANCE);
    }

    @ParameterizedTest(name = "cpu {0} {1}")
    @MethodSource("cases")
    void cpuTablesMatchProjections(ModelSpec spec, ForwardOptions options) {
        try (Backend be = new CpuBackend()) {
            compare(be, spec, options, CPU_TOLERANCE);
        }
    }

    @org.junit.jupiter.api.Test
    void theFirstBlockUsesTheCoreExactlyWhenItsInputIsTheTokenOrTheTokenAndPosition() {
        ModelSpec twoLayers = new ModelSpec(ModelType.TRANSFORMER, 11, 3, 8, 2, 2, 12, 0, Activation.RELU, false, false, 1);
        ModelSpec positional = new ModelSpec(ModelType.TRANSFORMER, 11, 3, 8, 2, 2, 12, 0, Activation.RELU, false, true, 1);
        ModelSpec biased = new ModelSpec(ModelType.TRANSFORMER, 11, 3, 8, 2, 2, 12, 0, Activation.RELU, false, true, 1,
                true, false, false, false);
        // a pass is a forward and backward, then a second forward for the logits: forwards count twice
        Map<String, Integer> tables = Map.of("attentionCoreForward", 2, "attentionCoreBackward", 1, "attentionForward", 2,
                "attentionBackward", 1);
        assertEquals(tables, attentionCalls(new Transformer(twoLayers, true), twoLayers));
        assertEquals(Map.of("attentionForward", 4, "attentionBackward", 2), attentionCalls(new Transformer(twoLayers, false), twoLayers));
        assertEquals(tables, attentionCalls(new Transformer(positional, true), positional));
        // biases go through attentionCore in every block (BiasedLayers): two blocks, no tables
        assertEquals(Map.of("attentionCoreForward", 4, "attentionCoreBackward", 2), attentionCalls(new Transformer(biased, true), biased));
    }

    @org.junit.jupiter.api.Test
    void theMlpGathersFromTablesExactlyWhenTheBackendAllowsThem() {
        ModelSpec mlp = new ModelSpec(ModelType.MLP, 11, 3, 10, 1, 1, 1, 6, Activation.RELU, false, false, 1);
        // per forward (a pass has two): the table's gather-and-sum; plain: the embedding and the sum of positions
        assertEquals(2, calls(new MlpModel(mlp, true), mlp, "embedSumForward", true));
        assertEquals(0, calls(new MlpModel(mlp, false), mlp, "embedSumForward", true));
        assertEquals(0, calls(new MlpModel(mlp, true), mlp, "embedSumForward", false));
        assertEquals(2, calls(new MlpModel(mlp, false), mlp, "sumPositionsForward", true));
        assertEquals(0, calls(new MlpModel(mlp, true), mlp, "sumPositionsForward", true));
    }

    /** How often {@link #pass} calls the backend's op {@code name}, on a cpuref that answers tokenTables() as told. */
    private static int calls(Model model, ModelSpec spec, String name, boolean tablesAllowed) {
        Backend ref = new CpuRefBackend();
        int[] count = {0};
        Backend counting = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[]{Backend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("tokenTables")) {
                        return tablesAllowed;
                    }
                    if (method.getName().equals(name)) {
                        count[0]++;
                    }
                    try {
                        return method.invoke(ref, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        pass(counting, model, spec, ForwardOptions.FAST);
        return count[0];
    }

    /** How often {@link #pass} calls each attention op of the backend. */
    private static Map<String, Integer> attentionCalls(Model model, ModelSpec spec) {
        Backend ref = new CpuRefBackend();
        Map<String, Integer> calls = new TreeMap<>();
        Backend counting = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[]{Backend.class},
                (proxy, method, args) -> {
                    if (method.getName().startsWith("attention")) {
                        calls.merge(method.getName(), 1, Integer::sum);
                    }
                    try {
                        return method.invoke(ref, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        pass(counting, model, spec, ForwardOptions.FAST);
        return calls;
    }

    private static void compare(Backend be, ModelSpec spec, ForwardOptions options, double tolerance) {
        Pass tables = pass(be, withTables(spec, true), spec, options);
        Pass plain = pass(be, withTables(spec, false), spec, options);
        assertClose("logits", tables.logits, plain.logits, tolerance, spec, options);
        Model layoutOwner = Model.of(spec);
        long p = layoutOwner.layout().total();
        for (ParameterSpec ps : layoutOwner.layout().specs()) {
            for (int m = 0; m < MODELS; m++) {
                int from = (int) (m * p + ps.offset()), to = (int) (from + ps.size());
                assertClose("gradient of " + ps.name() + " (model " + m + ")", Arrays.copyOfRange(tables.grads, from, to),
                        Arrays.copyOfRange(plain.grads, from, to), tolerance, spec, options);
            }
        }
    }

    private record Pass(double[] logits, double[] grads) {
    }

    private static Pass pass(Backend be, Model model, ModelSpec spec, ForwardOptions options) {
        List<OptimizerSettings> settings = java.util.Collections.nCopies(MODELS, OptimizerSettings.paper());
        ModelGroup group = new ModelGroup(be, model, settings, Set.of());
        be.upload(group.params().block(), Initializer.initialValues(model.layout(), new long[]{5, 6, 7}));
        Batch batch = ModelGradientChecks.randomBatch(be, spec, MODELS, BATCH, 42);
        group.forwardBackward(batch, options);
        double[] grads = be.toDoubles(group.grads().block());
        return new Pass(be.toDoubles(group.logits(batch.tokens(), options)), grads);
    }

    private static void assertClose(String what, double[] got, double[] expected, double tolerance,
                                    ModelSpec spec, ForwardOptions options) {
        assertEquals(expected.length, got.length, what + ": lengths");
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < got.length; i++) {
            if (!(Math.abs(got[i] - expected[i]) <= tolerance * Math.max(scale, 1e-30))) {
                fail(what + "[" + i + "]: tables " + got[i] + " vs projections " + expected[i] + " (largest |value| "
                        + scale + ", tolerance " + tolerance + " relative to it) for " + spec + ", lastPositionOnly "
                        + options.lastPositionOnly());
            }
        }
    }
}
