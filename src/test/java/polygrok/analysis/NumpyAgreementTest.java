package polygrok.analysis;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every measure against values numpy computed from the definitions (see make_expected.py). */
class NumpyAgreementTest {
    private static final double TOL = 1e-9;
    private final JsonObject expected = NumpyExpected.load();

    @Test
    void spectrumAndMeasuresOfRandomMatricesMatchNumpy() {
        for (String name : new String[]{"random_odd", "random_even"}) {
            JsonObject e = expected.getAsJsonObject(name);
            int n = e.get("n").getAsInt();
            FourierSpectrum s = FourierSpectrum.ofColumns(NumpyExpected.matrix(e.get("w")), FourierBasis.of(n));
            Close.scalar(name + " constant norm", e.get("constant").getAsDouble(), s.constant(), TOL);
            Close.vector(name + " mu", NumpyExpected.vector(e.get("mu")), s.mu(), TOL);
            Close.vector(name + " nu", NumpyExpected.vector(e.get("nu")), s.nu(), TOL);
            Close.scalar(name + " FFD(0.5)", e.get("ffd").getAsDouble(), ProgressMeasures.ffd(s), TOL);
            Close.scalar(name + " FFD(0.3)", e.get("ffd_0.3").getAsDouble(), ProgressMeasures.ffd(s, 0.3), TOL);
            Close.scalar(name + " FCR", e.get("fcr").getAsDouble(), ProgressMeasures.fcr(s), TOL);
            Close.scalar(name + " Gini", e.get("gini").getAsDouble(), Gini.of(s), TOL);
        }
    }

    @Test
    void discreteLogSpectrumMatchesNumpy() {
        JsonObject e = expected.getAsJsonObject("dlog");
        int p = e.get("p").getAsInt();
        assertEquals(e.get("g").getAsInt(), DiscreteLogSpectrum.smallestPrimitiveRoot(p), "smallest primitive root mod " + p);
        FourierSpectrum s = DiscreteLogSpectrum.ofColumns(NumpyExpected.matrix(e.get("w")), p);
        assertEquals(p - 1, s.order(), "dlog spectrum order");
        Close.scalar("dlog constant norm", e.get("constant").getAsDouble(), s.constant(), TOL);
        Close.vector("dlog mu", NumpyExpected.vector(e.get("mu")), s.mu(), TOL);
        Close.vector("dlog nu", NumpyExpected.vector(e.get("nu")), s.nu(), TOL);
    }

    @Test
    void multiplicativeCharacterIsSparseOnlyInTheDiscreteLogBasis() {
        JsonObject e = expected.getAsJsonObject("character");
        int p = e.get("p").getAsInt();
        double[][] w = NumpyExpected.matrix(e.get("w"));
        FourierSpectrum additive = FourierSpectrum.ofColumns(w, FourierBasis.of(p));
        FourierSpectrum dlog = DiscreteLogSpectrum.ofColumns(w, p);
        Close.scalar("character FFD additive", e.get("ffd_additive").getAsDouble(), ProgressMeasures.ffd(additive), TOL);
        Close.scalar("character FFD dlog", e.get("ffd_dlog").getAsDouble(), ProgressMeasures.ffd(dlog), TOL);
        Close.scalar("character FFD dlog = 1/K", 1.0 / 6, ProgressMeasures.ffd(dlog), TOL);
        Close.scalar("character Gini additive", e.get("gini_additive").getAsDouble(), Gini.of(additive), TOL);
        Close.scalar("character Gini dlog", e.get("gini_dlog").getAsDouble(), Gini.of(dlog), TOL);
        assertArrayEquals(new int[]{3}, KeyFrequencies.of(dlog), "key frequency of a character of frequency 3");
    }

    @Test
    void pcaMatchesNumpyEigendecomposition() {
        JsonObject e = expected.getAsJsonObject("pca");
        int p = e.get("p").getAsInt();
        EmbeddingPca pca = EmbeddingPca.ofColumns(NumpyExpected.matrix(e.get("w")), p);
        double[][] want = NumpyExpected.matrix(e.get("coords"));
        for (int t = 0; t < p; t++) {
            Close.vector("PCA coordinates of token " + t, want[t], pca.coordinates()[t], TOL);
        }
        Close.vector("PCA explained variance", NumpyExpected.vector(e.get("explained")), pca.explainedVariance(), TOL);
    }

    @Test
    void restrictedAndExcludedLossMatchNumpy() {
        JsonObject e = expected.getAsJsonObject("ablation");
        int p = e.get("p").getAsInt();
        double[][] logits = NumpyExpected.matrix(e.get("logits"));
        int[] labels = NumpyExpected.ints(e.get("labels"));
        int[] keys = NumpyExpected.ints(e.get("keys"));
        boolean[] mask = new boolean[p * p];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = e.getAsJsonArray("mask").get(i).getAsBoolean();
        }
        check("all pairs", NumpyExpected.vector(e.get("all")), FourierLossAblation.compute(logits, p, labels, keys, null));
        check("masked pairs", NumpyExpected.vector(e.get("masked")), FourierLossAblation.compute(logits, p, labels, keys, mask));
        // the GridLogits path asks for the grid in row-major order
        FourierLossAblation.Result viaHook = FourierLossAblation.compute(pairs -> {
            double[][] rows = new double[pairs.length][];
            for (int i = 0; i < pairs.length; i++) {
                rows[i] = logits[pairs[i][0] * p + pairs[i][1]];
            }
            return rows;
        }, p, labels, keys, null);
        check("GridLogits hook", NumpyExpected.vector(e.get("all")), viaHook);
    }

    private static void check(String what, double[] want, FourierLossAblation.Result got) {
        Close.scalar(what + " full loss", want[0], got.fullLoss(), TOL);
        Close.scalar(what + " restricted loss", want[1], got.restrictedLoss(), TOL);
        Close.scalar(what + " excluded loss", want[2], got.excludedLoss(), TOL);
    }
}
