package polygrok.analysis;

/**
 * The four numbers training logs into metrics.jsonl when the config asks for Fourier measures:
 * FFD and FCR of the number-token embedding W_E and of W_L = W_U[:, :p]^T W_out.
 */
public record FourierProgress(double ffd, double fcr, double ffdWl, double fcrWl) {

    /**
     * @param embedding W_E [d_model][V]
     * @param unembedding W_U [d_model][V]
     * @param mlpOut the last block's W_out [d_model][d_mlp] (outproj.W for the MLP model)
     * @param p the modulus: tokens 0..p-1 are the numbers
     * @param eta FFD threshold ({@link ProgressMeasures#DEFAULT_ETA} in the paper)
     */
    public static FourierProgress of(double[][] embedding, double[][] unembedding, double[][] mlpOut, int p, double eta) {
        java.util.Map<String, NamedTensor> params = new java.util.HashMap<>();
        params.put("embed.W_E", matrix("embed.W_E", embedding));
        params.put("unembed.W_U", matrix("unembed.W_U", unembedding));
        params.put("outproj.W", matrix("outproj.W", mlpOut));
        ModelWeights w = ModelWeights.of(new Checkpoint(java.nio.file.Path.of("(in memory)"), "live", -1, 0, "", params), p);
        FourierBasis basis = FourierBasis.of(p);
        FourierSpectrum we = FourierSpectrum.ofColumns(w.embedding(), basis);
        FourierSpectrum wl = FourierSpectrum.ofColumns(w.logitMap(), basis);
        return new FourierProgress(ProgressMeasures.ffd(we, eta), ProgressMeasures.fcr(we),
                ProgressMeasures.ffd(wl, eta), ProgressMeasures.fcr(wl));
    }

    private static NamedTensor matrix(String name, double[][] m) {
        int rows = m.length;
        int cols = m[0].length;
        double[] flat = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            if (m[r].length != cols) {
                throw new IllegalArgumentException(name + " row " + r + " has " + m[r].length + " columns, row 0 has " + cols);
            }
            System.arraycopy(m[r], 0, flat, r * cols, cols);
        }
        return new NamedTensor(name, new int[]{rows, cols}, flat);
    }
}
