package polygrok.backend.conformance;

import static polygrok.backend.conformance.Tolerance.EXACT;
import static polygrok.backend.conformance.Tolerances.ORTHOGONAL_GRADIENT;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ⊥Grad on the [M, P] gradient block, per stretch: ordinary stretches with some frozen entries, a
 * stretch of zero weights (its gradient kept), a wholly frozen stretch (left alone), and a gradient
 * parallel to its weights (kept: nothing is left to rescale).
 */
class OrthogonalGradientConformanceTest extends ConformanceBase {
    /** Stretches end at {@code ends}; the stretch {@code zeroAt} has zero weights, {@code frozenAt} is frozen. */
    record OrthCase(int m, int[] ends, int zeroAt, int frozenAt, double gradScale) {
        int p() {
            return ends[ends.length - 1];
        }

        @Override
        public String toString() {
            return "M=" + m + " stretches ending " + Arrays.toString(ends) + ", zero weights in stretch " + zeroAt + ", frozen stretch "
                    + frozenAt + ", gradients of " + gradScale;
        }
    }

    static Stream<Arguments> orthCases() {
        return onEachBackend(Stream.of(new OrthCase(1, new int[]{300, 700, 767, 1367}, 1, 2, 1e-2),
                new OrthCase(3, new int[]{300, 700, 767, 1367}, 1, 2, 1e-2),
                new OrthCase(3, new int[]{4096, 4100, 9017}, 1, 0, 0.5)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("orthCases")
    void orthogonalGradient(BackendUnderTest backend, OrthCase c) {
        TwinTensors tw = twins(backend, 23);
        Assumptions.assumeTrue(tw.got().hasOrthogonalGradient(), () -> backend + " has no orthogonal gradient (a config with it is refused there)");
        int m = c.m(), p = c.p(), s = c.ends().length;
        int[] offsets = new int[s + 1];
        System.arraycopy(c.ends(), 0, offsets, 1, s);
        double[] mask = mask(p, 7, 2);
        Arrays.fill(mask, offsets[c.frozenAt()], offsets[c.frozenAt() + 1], 0);
        double[] w = new double[m * p];
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < w.length; i++) {
            int j = i % p;
            w[i] = j >= offsets[c.zeroAt()] && j < offsets[c.zeroAt() + 1] ? 0 : (float) (2 * r.nextDouble() - 1); // float32 values, as every backend stores them
        }
        Twin params = tw.of(w, m, p), trainable = tw.of(mask, 1, p), stretches = tw.intsOf(offsets, 1, s + 1);
        for (int call = 1; call <= 3; call++) {
            Twin grads = tw.random(c.gradScale(), m, p);
            tw.run((be, a) -> be.orthogonalGradient(a[0], a[1], a[2], a[3]), params, grads, stretches, trainable);
            String op = "orthogonalGradient call " + call + " " + c;
            tw.check(op, "grads", grads, ORTHOGONAL_GRADIENT);
            tw.check(op, "params", params, EXACT);
        }
        // a gradient along the weights has no orthogonal part: it is kept as it is
        double[] parallel = new double[m * p];
        for (int i = 0; i < parallel.length; i++) {
            parallel[i] = 0.5 * w[i];
        }
        Twin along = tw.of(parallel, m, p);
        tw.run((be, a) -> be.orthogonalGradient(a[0], a[1], a[2], a[3]), params, along, stretches, trainable);
        tw.check("orthogonalGradient of g = w / 2 " + c, "grads", along, ORTHOGONAL_GRADIENT);
    }
}
