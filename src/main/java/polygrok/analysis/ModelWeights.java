package polygrok.analysis;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The matrices the Fourier analysis reads, pulled out of a checkpoint by their seed names.
 *
 * @param embedding W_E [d_model][V]; number tokens are columns 0..p-1
 * @param logitMap W_L^T = (W_U[:, :p]^T W_out)^T = W_out^T W_U[:, :p], [d_mlp][p]: the map from MLP
 *     neurons to number logits, transposed so that tokens are columns like in W_E
 */
public record ModelWeights(int p, double[][] embedding, double[][] logitMap) {
    private static final Pattern BLOCK_MLP_OUT = Pattern.compile("blocks\\.(\\d+)\\.mlp\\.W_out");

    /**
     * From a transformer checkpoint (the last block's {@code mlp.W_out}) or an MLP-model checkpoint
     * ({@code outproj.W}, which plays W_out's role there).
     */
    public static ModelWeights of(Checkpoint c, int p) {
        double[][] we = c.parameter("embed.W_E").asMatrix();
        double[][] wu = c.parameter("unembed.W_U").asMatrix();
        if (we[0].length < p || wu[0].length < p) {
            throw new IllegalArgumentException("checkpoint " + c.file() + ": W_E has " + we[0].length + " and W_U " + wu[0].length
                    + " token columns; p = " + p + " needs at least p");
        }
        String outName = lastMlpOut(c.parameters());
        double[][] wout = c.parameter(outName).asMatrix(); // [d_model][d_mlp]
        if (wout.length != wu.length) {
            throw new IllegalArgumentException("checkpoint " + c.file() + ": " + outName + " has " + wout.length
                    + " rows but unembed.W_U has " + wu.length + "; they must share the model dimension");
        }
        int hidden = wout[0].length;
        double[][] wl = new double[hidden][p];
        for (int j = 0; j < hidden; j++) {
            for (int t = 0; t < p; t++) {
                double s = 0;
                for (int i = 0; i < wout.length; i++) {
                    s += wout[i][j] * wu[i][t];
                }
                wl[j][t] = s;
            }
        }
        return new ModelWeights(p, we, wl);
    }

    private static String lastMlpOut(Map<String, NamedTensor> params) {
        int best = -1;
        for (String name : params.keySet()) {
            Matcher m = BLOCK_MLP_OUT.matcher(name);
            if (m.matches()) {
                best = Math.max(best, Integer.parseInt(m.group(1)));
            }
        }
        if (best >= 0) {
            return "blocks." + best + ".mlp.W_out";
        }
        if (params.containsKey("outproj.W")) {
            return "outproj.W";
        }
        throw new IllegalArgumentException("checkpoint has neither blocks.<l>.mlp.W_out nor outproj.W; parameters: "
                + new java.util.TreeSet<>(params.keySet()));
    }
}
