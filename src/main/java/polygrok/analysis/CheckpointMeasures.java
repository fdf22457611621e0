package polygrok.analysis;

/**
 * Everything analysis computes for one checkpoint; serialised into analysis.json with snake_case
 * keys. Boxed fields are null when they do not apply (no discrete-log basis for a composite p;
 * no restricted/excluded loss without a {@link GridLogitsSource}).
 *
 * @param mu W_E cosine norms per frequency (index k-1), for the spectrum plots
 * @param nu W_E sine norms per frequency
 * @param keyFrequencies W_E key frequencies ({@link KeyFrequencies} rule)
 * @param gini Gini of W_E's per-frequency norms
 */
public record CheckpointMeasures(
        String label, int epoch, long step,
        double ffd, double fcr, double ffdWl, double fcrWl,
        int[] keyFrequencies, double gini,
        double[] mu, double[] nu,
        Double ffdDlog, Double fcrDlog, Double giniDlog, double[] muDlog, double[] nuDlog,
        Double fullLoss, Double restrictedLoss, Double excludedLoss) {

    /** Measures of one checkpoint's weights; the loss ablation is added by the caller when it can. */
    public static CheckpointMeasures of(Checkpoint c, ModelWeights w, double eta,
                                        FourierLossAblation.Result ablation) {
        int p = w.p();
        FourierBasis basis = FourierBasis.of(p);
        FourierSpectrum we = FourierSpectrum.ofColumns(w.embedding(), basis);
        FourierSpectrum wl = FourierSpectrum.ofColumns(w.logitMap(), basis);
        FourierSpectrum dlog = p >= 3 && DiscreteLogSpectrum.isPrime(p) ? DiscreteLogSpectrum.ofColumns(w.embedding(), p) : null;
        return new CheckpointMeasures(c.label(), c.epoch(), c.step(),
                ProgressMeasures.ffd(we, eta), ProgressMeasures.fcr(we),
                ProgressMeasures.ffd(wl, eta), ProgressMeasures.fcr(wl),
                KeyFrequencies.of(we), Gini.of(we), we.mu(), we.nu(),
                dlog == null ? null : ProgressMeasures.ffd(dlog, eta),
                dlog == null ? null : ProgressMeasures.fcr(dlog),
                dlog == null ? null : Gini.of(dlog),
                dlog == null ? null : dlog.mu(), dlog == null ? null : dlog.nu(),
                ablation == null ? null : ablation.fullLoss(),
                ablation == null ? null : ablation.restrictedLoss(),
                ablation == null ? null : ablation.excludedLoss());
    }
}
