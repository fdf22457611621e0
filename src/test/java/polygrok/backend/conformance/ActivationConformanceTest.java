package polygrok.backend.conformance;

import static polygrok.backend.conformance.Tolerances.ACTIVATION;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import polygrok.backend.Activation;

/** The activations on their own, ReLU and exact GELU, forward and backward. */
class ActivationConformanceTest extends ConformanceBase {
    record ActivationCase(Activation act, double scale, int[] dims) {
        @Override
        public String toString() {
            return act + " on " + java.util.Arrays.toString(dims) + " in [-" + scale + ", " + scale + ")";
        }
    }

    static Stream<Arguments> activationCases() {
        Stream.Builder<ActivationCase> out = Stream.builder();
        for (Activation act : Activation.values()) {
            // the MLP's hidden layer as one flat run (vector body and tail), and a small odd shape
            for (int m : new int[]{1, 3}) {
                out.add(new ActivationCase(act, 4, new int[]{m, 37 * 45}));
                out.add(new ActivationCase(act, 4, new int[]{m, 300 * 150}));
            }
            out.add(new ActivationCase(act, 3, new int[]{3, 7, 33}));
            // GELU's tails: exp(-x^2/2) underflows past |x| = 13.2, erfc's polynomial runs to t near 0
            out.add(new ActivationCase(act, 16, new int[]{2, 1001}));
        }
        return onEachBackend(out.build());
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("activationCases")
    void activation(BackendUnderTest backend, ActivationCase c) {
        TwinTensors tw = twins(backend, 9 + c.act().ordinal());
        Twin x = tw.random(c.scale(), c.dims()), out = tw.random(1, c.dims());
        tw.run((be, a) -> be.activationForward(c.act(), a[0], a[1]), x, out);
        tw.check("activationForward " + c, "out", out, ACTIVATION);
        Twin dOut = tw.random(1, c.dims()), dX = tw.random(1, c.dims());
        tw.run((be, a) -> be.activationBackward(c.act(), a[0], a[1], a[2]), x, dOut, dX);
        tw.check("activationBackward " + c, "dX", dX, ACTIVATION);
    }
}
