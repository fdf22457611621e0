package polygrok.backend.conformance;

import static polygrok.backend.conformance.Tolerances.LOSS;
import static polygrok.backend.conformance.Tolerances.LOSS_GRAD;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The fused log-softmax + cross-entropy: per-example rows (loss, probability, correct), weighted loss, gradient. */
class CrossEntropyConformanceTest extends ConformanceBase {
    record Case(int batch, int vocab, int m, double logitScale, double gradScale) {
        @Override
        public String toString() {
            return "B=" + batch + " V=" + vocab + " M=" + m + " logits in [-" + logitScale + ", " + logitScale + ")";
        }
    }

    static Stream<Arguments> cases() {
        return onEachBackend(Stream.of(new Case(37, 29, 1, 6, 1e-3), new Case(37, 29, 3, 6, 1e-3), new Case(300, 53, 1, 6, 1e-3),
                new Case(300, 53, 3, 6, 1e-3), new Case(37, 103, 3, 4, 1e-2)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void crossEntropy(BackendUnderTest backend, Case c) {
        TwinTensors tw = twins(backend, 13);
        int m = c.m(), batch = c.batch(), vocab = c.vocab();
        double[] logits = tw.values((long) m * batch * vocab, c.logitScale());
        for (int j = 0; j < vocab; j++) {
            logits[j] = j % 2 == 0 ? 1.0 : 0.5; // row 0 of model 0: ties, the first maximum must win
        }
        int[] labels = tw.randomInts((long) m * batch, vocab);
        labels[0] = 0;
        double[] weights = new double[m * batch];
        for (int i = 0; i < weights.length; i++) {
            // padding rows weigh 0; the others any sign, as the op does not assume a mean
            weights[i] = i % 7 == 3 ? 0 : (float) ((2 * tw.nextDouble() - 1) / batch);
        }
        Twin z = tw.of(logits, m, batch, vocab), y = tw.intsOf(labels, m, batch), w = tw.of(weights, m, batch);
        Twin perExample = tw.random(1, m, batch, 3), loss = tw.random(1, m, 1);
        tw.run((be, a) -> be.crossEntropyForward(a[0], a[1], a[2], a[3], a[4]), z, y, w, perExample, loss);
        tw.check("crossEntropyForward " + c, "perExample", perExample, LOSS);
        tw.check("crossEntropyForward " + c, "loss", loss, LOSS);
        // dLogits starts non-zero: the backward adds into it
        Twin dZ = tw.random(c.gradScale(), m, batch, vocab);
        tw.run((be, a) -> be.crossEntropyBackward(a[0], a[1], a[2], a[3]), z, y, w, dZ);
        tw.check("crossEntropyBackward " + c, "dLogits", dZ, LOSS_GRAD);
    }
}
