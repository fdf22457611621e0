package polygrok.analysis;

/**
 * The unit-normalised real Fourier basis over Z_n (n = p for the additive basis, p - 1 for the
 * discrete-log basis): the constant 1/sqrt(n), then for k = 1..floor(n/2) the cosine
 * cos(2 pi k t / n) and sine sin(2 pi k t / n), each scaled to unit L2 norm over t = 0..n-1.
 *
 * <p>For even n the top frequency k = n/2 is the Nyquist frequency: its cosine (-1)^t / sqrt(n)
 * is a basis vector, its sine is identically zero and is returned as a zero vector (so its
 * coefficient, and nu at that frequency, is always 0). The basis then still has exactly n
 * non-zero, orthonormal vectors.
 */
public final class FourierBasis {
    private final int n;
    private final double[] constant; // [n]
    private final double[][] cos;    // [K][n], row k-1 is frequency k
    private final double[][] sin;    // [K][n]

    private FourierBasis(int n) {
        this.n = n;
        int frequencies = n / 2;
        constant = new double[n];
        java.util.Arrays.fill(constant, 1.0 / Math.sqrt(n));
        cos = new double[frequencies][n];
        sin = new double[frequencies][n];
        for (int k = 1; k <= frequencies; k++) {
            for (int t = 0; t < n; t++) {
                // reduce k*t mod n first so the angle stays small and exact multiples of pi/2 come out clean
                double angle = 2 * Math.PI * ((long) k * t % n) / n;
                cos[k - 1][t] = Math.cos(angle);
                sin[k - 1][t] = Math.sin(angle);
            }
            normalise(cos[k - 1]);
            if (2 * k == n) {
                java.util.Arrays.fill(sin[k - 1], 0.0); // Nyquist sine: zero, documented above
            } else {
                normalise(sin[k - 1]);
            }
        }
    }

    /** The basis over Z_n; n must be at least 2. */
    public static FourierBasis of(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("Fourier basis size n must be >= 2, got " + n);
        }
        return new FourierBasis(n);
    }

    private static void normalise(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        double norm = Math.sqrt(s);
        for (int i = 0; i < v.length; i++) {
            v[i] /= norm;
        }
    }

    public int size() {
        return n;
    }

    /** Number of frequencies K = floor(n/2). */
    public int frequencies() {
        return cos.length;
    }

    public double[] constant() {
        return constant.clone();
    }

    /** Unit cosine of frequency k in 1..K. */
    public double[] cos(int k) {
        return cos[checkFrequency(k) - 1].clone();
    }

    /** Unit sine of frequency k in 1..K (the zero vector at the Nyquist frequency of even n). */
    public double[] sin(int k) {
        return sin[checkFrequency(k) - 1].clone();
    }

    /** Whether the sine of frequency k is the (zero) Nyquist sine. */
    public boolean isNyquist(int k) {
        return 2 * checkFrequency(k) == n;
    }

    private int checkFrequency(int k) {
        if (k < 1 || k > cos.length) {
            throw new IllegalArgumentException("frequency k must be in 1.." + cos.length + " for n = " + n + ", got " + k);
        }
        return k;
    }

    /**
     * Coefficients of a signal f over Z_n in this basis: {constant, cos_1, sin_1, ..., cos_K, sin_K}
     * as an array [1 + 2K] (the Nyquist sine slot, for even n, is 0).
     */
    public double[] coefficients(double[] f) {
        if (f.length != n) {
            throw new IllegalArgumentException("signal length must be n = " + n + ", got " + f.length);
        }
        double[] c = new double[1 + 2 * cos.length];
        c[0] = dot(constant, f);
        for (int k = 0; k < cos.length; k++) {
            c[1 + 2 * k] = dot(cos[k], f);
            c[2 + 2 * k] = dot(sin[k], f);
        }
        return c;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
