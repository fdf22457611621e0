package polygrok.backend.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import polygrok.backend.Backend;
import polygrok.tensor.Shape;

/**
 * Compares a {@link Twin} element by element under a {@link Tolerance}. A failure names the backend,
 * the op, the tensor, the multi-dimensional index (model axis first) and both values, for the first
 * few offending elements, and how many there were.
 */
final class Agreement {
    private static final int SHOWN = 5;

    private Agreement() {
    }

    static void check(Backend ref, Backend got, String backend, String op, String tensor, Twin t, Tolerance tol) {
        double[] r = ref.toDoubles(t.ref());
        double[] g = got.toDoubles(t.got());
        Shape shape = t.ref().shape();
        if (r.length != g.length) {
            fail(backend + ": " + op + " " + tensor + " has " + g.length + " elements, the reference " + r.length);
        }
        int bad = 0;
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < r.length; i++) {
            if (!tol.allows(g[i], r[i])) {
                if (bad++ < SHOWN) {
                    shown.append(String.format("%n  %s: %s %s%s: got %.9g, ref %.9g, |diff| %.3g > %.3g", backend, op, tensor,
                            index(shape, i), g[i], r[i], Math.abs(g[i] - r[i]), tol.bound(r[i])));
                }
            }
        }
        if (bad > 0) {
            fail(backend + ": " + op + " " + tensor + ": " + bad + " of " + r.length + " elements break " + tol + shown);
        }
        if (t.block() != null) {
            untouchedGaps(ref, got, backend, op, tensor, t.block());
        }
    }

    /** Gaps of the block hold their starting values on both sides, so they must match exactly. */
    private static void untouchedGaps(Backend ref, Backend got, String backend, String op, String tensor, Block block) {
        double[] r = ref.toDoubles(block.whole.ref());
        double[] g = got.toDoubles(block.whole.got());
        int p = Math.toIntExact(block.rowLength());
        for (int m = 0; m < block.models(); m++) {
            for (int j = 0; j < p; j++) {
                int i = m * p + j;
                if (block.isGap(j) && !(g[i] == r[i])) {
                    fail(String.format("%s: %s wrote outside %s: gap [model %d, position %d of %d] holds %.9g, the reference %.9g",
                            backend, op, tensor, m, j, p, g[i], r[i]));
                }
            }
        }
    }

    static void sameInts(Backend ref, Backend got, String backend, String op, String tensor, Twin t) {
        int[] r = ref.toInts(t.ref());
        int[] g = got.toInts(t.got());
        if (r.length != g.length) {
            fail(backend + ": " + op + " " + tensor + " has " + g.length + " elements, the reference " + r.length);
        }
        for (int i = 0; i < r.length; i++) {
            if (r[i] != g[i]) {
                fail(backend + ": " + op + " " + tensor + index(t.ref().shape(), i) + ": got " + g[i] + ", ref " + r[i]);
            }
        }
    }

    /** The row-major flat position {@code flat} of {@code shape} as an index such as [2, 0, 14]. */
    static String index(Shape shape, long flat) {
        int[] dims = shape.dims();
        long[] at = new long[dims.length];
        for (int a = dims.length - 1; a >= 0; a--) {
            at[a] = flat % dims[a];
            flat /= dims[a];
        }
        return Arrays.toString(at);
    }
}
