package polygrok.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import polygrok.backend.LossMode;

/**
 * The cross-entropy family's other losses against cpuref: StableMax in float64 (tolerances of the
 * float64 cross-entropy, {@link Tolerances#LOSS} and {@link Tolerances#LOSS_GRAD}), and either loss
 * in float32 arithmetic, which cpuref emulates by rounding each intermediate to float in the fast
 * path's order: from the same float32 inputs the two must agree to the last bit (EXACT). Some rows
 * are built to collapse in float32 (one logit 60 above the rest), where float32's gradient vanishes.
 * cuda has no kernel for these modes and must refuse them.
 */
class LossModeConformanceTest extends ConformanceBase {
    record Case(int batch, int vocab, int m, double logitScale, LossMode mode) {
        @Override
        public String toString() {
            return mode + " B=" + batch + " V=" + vocab + " M=" + m + " logits in [-" + logitScale + ", " + logitScale + ")";
        }
    }

    static Stream<Arguments> cases() {
        Stream.Builder<Case> b = Stream.builder();
        for (LossMode mode : new LossMode[]{new LossMode(true, false), new LossMode(false, true), new LossMode(true, true)}) {
            b.add(new Case(37, 29, 1, 6, mode)).add(new Case(300, 53, 3, 6, mode)).add(new Case(37, 103, 3, 40, mode));
        }
        return onEachBackend(b.build());
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void lossMode(BackendUnderTest backend, Case c) {
        TwinTensors tw = twins(backend, 17);
        int m = c.m(), batch = c.batch(), vocab = c.vocab();
        double[] logits = tw.values((long) m * batch * vocab, c.logitScale());
        int[] labels = tw.randomInts((long) m * batch, vocab);
        for (int e = 0; e < m * batch; e += 5) {
            logits[e * vocab + labels[e]] = 60; // a row that collapses in float32: every exp(z_j - 60) underflows next to 1
        }
        double[] weights = new double[m * batch];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = i % 7 == 3 ? 0 : (float) ((2 * tw.nextDouble() - 1) / batch);
        }
        Twin z = tw.of(logits, m, batch, vocab), y = tw.intsOf(labels, m, batch), w = tw.of(weights, m, batch);
        Twin perExample = tw.random(1, m, batch, 3), loss = tw.random(1, m, 1);
        Twin dZ = tw.random(1e-3, m, batch, vocab);
        if (backend == BackendUnderTest.CUDA) {
            assertNotNull(backend.open().supportsLoss(c.mode()), "cuda must refuse " + c.mode());
            assertThrows(UnsupportedOperationException.class,
                    () -> tw.run((be, a) -> be.crossEntropyForward(a[0], a[1], a[2], c.mode(), a[3], a[4]), z, y, w, perExample, loss));
            return;
        }
        Tolerance forward = c.mode().float32() ? Tolerance.EXACT : Tolerances.LOSS;
        Tolerance backward = c.mode().float32() ? Tolerance.EXACT : Tolerances.LOSS_GRAD;
        tw.run((be, a) -> be.crossEntropyForward(a[0], a[1], a[2], c.mode(), a[3], a[4]), z, y, w, perExample, loss);
        tw.check("crossEntropyForward " + c, "perExample", perExample, forward);
        tw.check("crossEntropyForward " + c, "loss", loss, forward);
        tw.run((be, a) -> be.crossEntropyBackward(a[0], a[1], a[2], c.mode(), a[3]), z, y, w, dZ);
        tw.check("crossEntropyBackward " + c, "dLogits", dZ, backward);
    }
}
