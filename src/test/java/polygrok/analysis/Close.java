package polygrok.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Element-wise comparisons whose failures name the quantity, the index and both values. */
final class Close {
    private Close() {
    }

    static void vector(String what, double[] expected, double[] actual, double tol) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                fail(what + "[" + i + "]: expected " + expected[i] + " (numpy), got " + actual[i] + ", tolerance " + tol);
            }
        }
    }

    static void scalar(String what, double expected, double actual, double tol) {
        if (!(Math.abs(expected - actual) <= tol)) {
            fail(what + ": expected " + expected + ", got " + actual + ", tolerance " + tol);
        }
    }
}
