package polygrok.check;

/**
 * One compared tensor: the largest absolute difference, the relative error (that difference over the
 * largest magnitude of the expected tensor) and the tolerance it had to meet.
 */
public record CheckRow(String name, double maxAbsError, double relError, double tolerance) {
    public boolean ok() {
        return relError <= tolerance;
    }

    /** Compares actual with expected element by element; NaN anywhere fails. */
    public static CheckRow compare(String name, double[] actual, double[] expected, double tolerance) {
        if (actual.length != expected.length) {
            throw new IllegalArgumentException(name + ": " + actual.length + " values, expected " + expected.length);
        }
        double maxAbs = 0, scale = 0;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(actual[i] - expected[i]);
            if (Double.isNaN(diff)) {
                return new CheckRow(name, Double.NaN, Double.NaN, tolerance);
            }
            maxAbs = Math.max(maxAbs, diff);
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return new CheckRow(name, maxAbs, scale == 0 ? maxAbs : maxAbs / scale, tolerance);
    }

    /** Index of the largest difference, for failure messages. */
    public static int worstIndex(double[] actual, double[] expected) {
        int worst = 0;
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= Math.abs(actual[worst] - expected[worst]))) {
                worst = i;
            }
        }
        return worst;
    }
}
