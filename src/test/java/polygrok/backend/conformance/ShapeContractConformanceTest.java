package polygrok.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import polygrok.backend.Activation;
import polygrok.backend.AdamWSettings;
import polygrok.backend.AttentionSaved;
import polygrok.backend.Backend;
import polygrok.backend.OpShapes;
import polygrok.backend.WeightLayout;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.tensor.DType;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * Every backend, the reference included, checks each op's shapes against {@link OpShapes} before any
 * work: one wrong tensor per op must fail with the contract's message (op and tensor named) and leave
 * every tensor of the call as it was.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShapeContractConformanceTest {
    private static final int M = 2, B = 3, T = 4, D = 8, H = 2, DH = 4, V = 5, F = 12, P = 30;
    private static final double MARK = 0.5;
    private final Map<String, Backend> open = new HashMap<>();

    /** One call with exactly one wrong tensor; {@code message} is how the contract's refusal starts. */
    record Case(String message, Call call) {
        @Override
        public String toString() {
            return message;
        }
    }

    @FunctionalInterface
    interface Call {
        void run(Backend be, Tensors t);
    }

    /** Makes the tensors of one call on a backend, each filled with {@link #MARK} (I32 ones with 0), and keeps them. */
    static final class Tensors {
        private final Backend be;
        final List<Tensor> made = new ArrayList<>();

        Tensors(Backend be) {
            this.be = be;
        }

        Tensor f(int... dims) {
            Tensor t = be.zeros(Shape.of(dims));
            double[] v = new double[(int) t.size()];
            Arrays.fill(v, MARK);
            be.upload(t, v);
            made.add(t);
            return t;
        }

        Tensor i(int... dims) {
            Tensor t = be.ints(Shape.of(dims), new int[(int) Shape.of(dims).size()]);
            made.add(t);
            return t;
        }

        AttentionSaved saved(int tq) {
            return new AttentionSaved(f(M, B, tq, H, DH), f(M, B, T, H, DH), f(M, B, T, H, DH), f(M, B, H, tq, T), f(M, B, tq, H * DH));
        }
    }

    static Stream<Case> cases() {
        Activation act = Activation.RELU;
        return Stream.of(
                new Case("copy: shape mismatch", (be, t) -> be.copy(t.f(M, 6), t.f(M, 7))),
                new Case("add: shape mismatch", (be, t) -> be.add(t.f(M, 6), t.f(M, 6), t.f(M, 5))),
                new Case("embedForward: out", (be, t) -> be.embedForward(t.f(M, D, V), t.i(M, B, T), t.f(M, B, T, D + 1))),
                new Case("embedBackward: dOut", (be, t) -> be.embedBackward(t.f(M, B, T, D + 1), t.i(M, B, T), t.f(M, D, V))),
                new Case("embedSumForward: out", (be, t) -> be.embedSumForward(t.f(M, D, V), t.i(M, B, T), t.f(M, B, D + 1))),
                new Case("embedSumBackward: dOut", (be, t) -> be.embedSumBackward(t.f(M, B, D + 1), t.i(M, B, T), t.f(M, D, V))),
                new Case("positionalForward: W_pos", (be, t) -> be.positionalForward(t.f(M, T - 1, D), t.f(M, B, T, D))),
                new Case("positionalBackward: dW_pos", (be, t) -> be.positionalBackward(t.f(M, B, T, D), t.f(M, T - 1, D))),
                new Case("attentionForward: out", (be, t) -> be.attentionForward(t.f(M, B, T, D), t.f(M, H, DH, D), t.f(M, H, DH, D),
                        t.f(M, H, DH, D), t.f(M, D, H * DH), false, t.saved(T), t.f(M, B, T, D + 1))),
                new Case("attentionForward: saved.q", (be, t) -> be.attentionForward(t.f(M, B, T, D), t.f(M, H, DH, D),
                        t.f(M, H, DH, D), t.f(M, H, DH, D), t.f(M, D, H * DH), true, t.saved(T), t.f(M, B, 1, D))),
                new Case("attentionBackward: dX", (be, t) -> be.attentionBackward(t.f(M, B, T, D), t.f(M, H, DH, D), t.f(M, H, DH, D),
                        t.f(M, H, DH, D), t.f(M, D, H * DH), false, t.saved(T), t.f(M, B, T, D), t.f(M, B, T, D - 1),
                        t.f(M, H, DH, D), t.f(M, H, DH, D), t.f(M, H, DH, D), t.f(M, D, H * DH))),
                new Case("attentionCoreForward: W_O", (be, t) -> be.attentionCoreForward(t.f(M, D, H * DH + 1), false, t.saved(T),
                        t.f(M, B, T, D))),
                new Case("attentionCoreBackward: dV", (be, t) -> be.attentionCoreBackward(t.f(M, D, H * DH), true, t.saved(1),
                        t.f(M, B, 1, D), t.f(M, B, 1, H, DH), t.f(M, B, T, H, DH), t.f(M, B, 1, H, DH), t.f(M, D, H * DH))),
                new Case("mlpForward: pre", (be, t) -> be.mlpForward(t.f(M, B, D), t.f(M, F, D), t.f(M, D, F), act, t.f(M, B, F + 1),
                        t.f(M, B, D))),
                new Case("mlpBackward: dW_in", (be, t) -> be.mlpBackward(t.f(M, B, D), t.f(M, F, D), t.f(M, D, F), act, t.f(M, B, F),
                        t.f(M, B, D), t.f(M, B, D), t.f(M, D, F), t.f(M, D, F))),
                new Case("linearForward: W (OUT_IN)", (be, t) -> be.linearForward(t.f(M, B, D), t.f(M, D, F), WeightLayout.OUT_IN,
                        t.f(M, B, F))),
                new Case("linearBackward: dW", (be, t) -> be.linearBackward(t.f(M, B, D), t.f(M, D, F), WeightLayout.IN_OUT,
                        t.f(M, B, F), t.f(M, B, D), t.f(M, F, D))),
                new Case("activationForward: shape mismatch", (be, t) -> be.activationForward(act, t.f(M, 6), t.f(M, 3, 2))),
                new Case("activationBackward: shape mismatch", (be, t) -> be.activationBackward(act, t.f(M, 6), t.f(M, 7), t.f(M, 6))),
                new Case("layerNormForward: rstd", (be, t) -> be.layerNormForward(t.f(M, B, D), t.f(M, D), t.f(M, D), 1e-5, t.f(M, B),
                        t.f(M, B + 1), t.f(M, B, D))),
                new Case("layerNormBackward: dB", (be, t) -> be.layerNormBackward(t.f(M, B, D), t.f(M, D), t.f(M, B), t.f(M, B),
                        t.f(M, B, D), t.f(M, B, D), t.f(M, D), t.f(M, 1, D))),
                new Case("lastPositionForward: out", (be, t) -> be.lastPositionForward(t.f(M, B, T, D), t.f(M, B, 1, D + 1))),
                new Case("lastPositionBackward: dX", (be, t) -> be.lastPositionBackward(t.f(M, B, 1, D), t.f(M, B, 0, D))),
                new Case("sumPositionsForward: x", (be, t) -> be.sumPositionsForward(t.f(M, B * T, D), t.f(M, B, D))),
                new Case("sumPositionsBackward: dOut", (be, t) -> be.sumPositionsBackward(t.f(M, B, D + 1), t.f(M, B, T, D))),
                new Case("crossEntropyForward: perExample", (be, t) -> be.crossEntropyForward(t.f(M, B, V), t.i(M, B), t.f(M, B),
                        t.f(M, B, 2), t.f(M, 1))),
                new Case("crossEntropyBackward: dLogits", (be, t) -> be.crossEntropyBackward(t.f(M, B, V), t.i(M, B), t.f(M, B),
                        t.f(M, B, V - 1))),
                new Case("lpPenalty: penalty", (be, t) -> be.lpPenalty(t.f(M, P), t.f(1, P), 2, 0.1, t.f(M, P), t.f(1, 1))),
                new Case("parameterNorms: out", (be, t) -> be.parameterNorms(t.f(M, P), t.i(1, 3), t.f(M, 3, 2))),
                new Case("adamwStep: v", (be, t) -> be.adamwStep(t.f(M, P), t.f(M, P), t.f(M, P), t.f(M, P - 1),
                        new AdamWSettings(t.f(M, 1), t.f(M, 1), t.f(M, 1), t.f(1, P), 0.9, 0.98, 1e-8))),
                new Case("gradFilter: state", (be, t) -> be.gradFilter(t.f(M, P), t.f(M, P), t.f(M, 1), t.f(1, P), 0, 1, 2)),
                new Case("orthogonalGradient: grads", (be, t) -> be.orthogonalGradient(t.f(M, P), t.f(M, P - 1), t.i(1, 3), t.f(1, P))),
                new Case("orthogonalGradient: trainable", (be, t) -> be.orthogonalGradient(t.f(M, P), t.f(M, P), t.i(1, 3), t.f(1, P + 1))));
    }

    /** Every case on cpuref and on every backend under test. */
    static Stream<Arguments> onEveryBackend() {
        List<String> backends = new ArrayList<>(List.of("cpuref"));
        for (BackendUnderTest b : BackendUnderTest.values()) {
            backends.add(b.name());
        }
        return backends.stream().flatMap(b -> cases().map(c -> Arguments.of(b, c)));
    }

    private Backend backend(String name) {
        if (name.equals("cpuref")) {
            return open.computeIfAbsent(name, n -> new CpuRefBackend());
        }
        BackendUnderTest b = BackendUnderTest.valueOf(name);
        Optional<String> why = b.whyUnavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> b + " not tested here: " + why.orElse(""));
        return open.computeIfAbsent(name, n -> b.open());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("onEveryBackend")
    void aWrongShapeFailsBeforeAnyWork(String backendName, Case c) {
        Backend be = backend(backendName);
        if (c.message().startsWith("gradFilter")) {
            Assumptions.assumeTrue(be.hasGradFilter(), () -> backendName + " has no gradient filter");
        }
        if (c.message().startsWith("orthogonalGradient")) {
            Assumptions.assumeTrue(be.hasOrthogonalGradient(), () -> backendName + " has no orthogonal gradient");
        }
        Tensors t = new Tensors(be);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.call().run(be, t), c.message());
        assertTrue(e.getMessage().startsWith(c.message()), "the contract's message on " + backendName + ": " + e.getMessage());
        for (Tensor x : t.made) {
            double[] v = be.toDoubles(x);
            double[] expected = new double[v.length];
            Arrays.fill(expected, x.dtype() == DType.I32 ? 0 : MARK);
            assertArrayEquals(expected, v, "a tensor of shape " + x.shape() + " was written before the check failed");
        }
    }

    @AfterAll
    void closeBackends() {
        open.values().forEach(Backend::close);
        open.clear();
    }
}
