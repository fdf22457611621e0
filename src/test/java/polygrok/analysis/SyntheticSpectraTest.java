package polygrok.analysis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Embeddings built from known frequencies, whose measures follow from the definitions by hand. */
class SyntheticSpectraTest {
    private static final double TOL = 1e-12;

    /** d = 2*freqs.length rows: cos and sin of each frequency, scaled; p + 5 columns like W_E. */
    private static double[][] embedding(int p, int[] freqs, double cosScale, double sinScale) {
        double[][] w = new double[2 * freqs.length][p + 5];
        for (int i = 0; i < freqs.length; i++) {
            for (int t = 0; t < p; t++) {
                double angle = 2 * Math.PI * freqs[i] * t / p;
                w[2 * i][t] = cosScale * Math.cos(angle);
                w[2 * i + 1][t] = sinScale * Math.sin(angle);
            }
            w[2 * i][p + 1] = 100; // special-token columns must not leak into the spectrum
        }
        return w;
    }

    @Test
    void basisIsOrthonormalForOddAndEvenSizes() {
        for (int n : new int[]{2, 7, 10, 97}) {
            FourierBasis b = FourierBasis.of(n);
            double[][] vectors = new double[n][];
            vectors[0] = b.constant();
            int i = 1;
            for (int k = 1; k <= b.frequencies(); k++) {
                vectors[i++] = b.cos(k);
                if (!b.isNyquist(k)) {
                    vectors[i++] = b.sin(k);
                }
            }
            assertEquals(n, i, "number of non-zero basis vectors for n = " + n);
            for (int x = 0; x < n; x++) {
                for (int y = 0; y < n; y++) {
                    double dot = FourierBasis.dot(vectors[x], vectors[y]);
                    Close.scalar("basis n=" + n + " <v" + x + ", v" + y + ">", x == y ? 1 : 0, dot, 1e-12);
                }
            }
        }
    }

    @Test
    void oneKeyFrequencyGivesFfdOneOverKAndFcrOneOverK() {
        int p = 97;
        FourierSpectrum s = FourierSpectrum.ofColumns(embedding(p, new int[]{14}, 1, 1), FourierBasis.of(p));
        Close.scalar("FFD of a single frequency", 1.0 / 48, ProgressMeasures.ffd(s), TOL);
        // only k = 14 has a balanced pair; every other frequency has mu = nu = 0 and contributes 0
        Close.scalar("FCR of a single balanced frequency", 1.0 / 48, ProgressMeasures.fcr(s), TOL);
        Close.scalar("mu_14", Math.sqrt(p / 2.0), s.mu()[13], 1e-9);
        Close.scalar("constant norm", 0, s.constant(), 1e-9);
        assertArrayEquals(new int[]{14}, KeyFrequencies.of(s), "key frequencies");
        Close.scalar("Gini of one frequency out of 48", 47.0 / 48, Gini.of(s), 1e-12);
    }

    @Test
    void cosineOnlyEmbeddingHasZeroFcr() {
        int p = 23;
        FourierSpectrum s = FourierSpectrum.ofColumns(embedding(p, new int[]{3, 5}, 1, 0), FourierBasis.of(p));
        Close.scalar("FCR of cosines only", 0, ProgressMeasures.fcr(s), TOL);
        Close.scalar("FFD of two cosines", 2.0 / 22, ProgressMeasures.ffd(s), TOL);
        assertArrayEquals(new int[]{3, 5}, KeyFrequencies.of(s), "key frequencies");
    }

    @Test
    void thresholdIsStrictAndRelativeToTheLargestNorm() {
        int p = 11;
        double[][] w = new double[2][p];
        for (int t = 0; t < p; t++) {
            w[0][t] = Math.cos(2 * Math.PI * t / p) + 0.45 * Math.cos(2 * Math.PI * 2 * t / p) + 0.6 * Math.cos(2 * Math.PI * 3 * t / p);
            w[1][t] = Math.sin(2 * Math.PI * t / p);
        }
        FourierSpectrum s = FourierSpectrum.ofColumns(w, FourierBasis.of(p));
        // mu: k=1 (ratio 1) and k=3 (0.6) pass eta = 0.5, k=2 (0.45) does not; nu: only k=1
        Close.scalar("FFD with one cosine under eta", (2 + 1) / 10.0, ProgressMeasures.ffd(s), 1e-9);
        Close.scalar("FCR", (1 + 0 + 0) / 5.0, ProgressMeasures.fcr(s), 1e-9);
    }

    @Test
    void zeroMatrixHasNoKeyFrequenciesAndZeroMeasures() {
        FourierSpectrum s = FourierSpectrum.ofColumns(new double[3][10], FourierBasis.of(10));
        assertEquals(0, ProgressMeasures.ffd(s), "FFD of zeros");
        assertEquals(0, ProgressMeasures.fcr(s), "FCR of zeros");
        assertEquals(0, Gini.of(s), "Gini of zeros");
        assertEquals(0, KeyFrequencies.of(s).length, "key frequencies of zeros");
    }

    @Test
    void badInputsAreRejectedWithTheirValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DiscreteLogSpectrum.smallestPrimitiveRoot(15));
        assertEquals(true, e.getMessage().contains("15"), "message names p: " + e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProgressMeasures.ffd(
                FourierSpectrum.ofColumns(new double[1][5], FourierBasis.of(5)), 1.5));
        assertThrows(IllegalArgumentException.class, () -> FourierSpectrum.ofColumns(new double[1][4], FourierBasis.of(5)));
    }

    @Test
    void smallestPrimitiveRootOf97IsFive() {
        assertEquals(5, DiscreteLogSpectrum.smallestPrimitiveRoot(97), "smallest primitive root mod 97");
        int[] order = DiscreteLogSpectrum.tokenOrder(97);
        boolean[] seen = new boolean[97];
        for (int t : order) {
            seen[t] = true;
        }
        for (int t = 1; t < 97; t++) {
            assertEquals(true, seen[t], "token " + t + " missing from the discrete-log order");
        }
    }

    @Test
    void trainingProgressHelperAgreesWithTheSpectrumPath() {
        int p = 13;
        java.util.Random rng = new java.util.Random(3);
        double[][] we = new double[6][p + 5];
        double[][] wu = new double[6][p + 5];
        double[][] wout = new double[6][10];
        for (double[][] m : new double[][][]{we, wu, wout}) {
            for (double[] r : m) {
                for (int j = 0; j < r.length; j++) {
                    r[j] = rng.nextGaussian();
                }
            }
        }
        FourierProgress f = FourierProgress.of(we, wu, wout, p, 0.5);
        FourierSpectrum s = FourierSpectrum.ofColumns(we, FourierBasis.of(p));
        assertEquals(ProgressMeasures.ffd(s), f.ffd(), "FFD of W_E through FourierProgress");
        assertEquals(ProgressMeasures.fcr(s), f.fcr(), "FCR of W_E through FourierProgress");
        // W_L^T = W_out^T W_U[:, :p], written out here independently of ModelWeights
        double[][] wlT = new double[10][p];
        for (int j = 0; j < 10; j++) {
            for (int t = 0; t < p; t++) {
                for (int i = 0; i < 6; i++) {
                    wlT[j][t] += wout[i][j] * wu[i][t];
                }
            }
        }
        FourierSpectrum l = FourierSpectrum.ofColumns(wlT, FourierBasis.of(p));
        Close.scalar("FFD of W_L", ProgressMeasures.ffd(l), f.ffdWl(), 1e-12);
        Close.scalar("FCR of W_L", ProgressMeasures.fcr(l), f.fcrWl(), 1e-12);
    }
}
