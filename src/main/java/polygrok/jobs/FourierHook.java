package polygrok.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import polygrok.analysis.FourierProgress;
import polygrok.analysis.ProgressMeasures;
import polygrok.model.ModelSpec;
import polygrok.train.Trainer;

/**
 * FFD and FCR during training (config fourier_every > 0): at eval epochs that are multiples of
 * fourier_every, the measures of W_E and of W_L = W_U[:, :p]^T W_out go into metrics.jsonl.
 */
public final class FourierHook implements Trainer.MeasureHook {
    private final int every;
    private final int p;
    private final ModelSpec spec;

    FourierHook(int every, int p, ModelSpec spec) {
        this.every = every;
        this.p = p;
        this.spec = spec;
    }

    /** The hook a config asks for, or null. */
    public static Trainer.MeasureHook forConfig(int fourierEvery, int p, ModelSpec spec) {
        return fourierEvery > 0 ? new FourierHook(fourierEvery, p, spec) : null;
    }

    @Override
    public boolean measures(int epoch) {
        return epoch % every == 0;
    }

    @Override
    public Map<String, Double> measure(int epoch, Trainer.Run run, Map<String, double[]> params) {
        if (epoch % every != 0) {
            return Map.of();
        }
        boolean transformer = spec.type() == ModelSpec.ModelType.TRANSFORMER;
        int rows = transformer ? spec.dModel() : spec.dEmb();
        String out = transformer ? "blocks." + (spec.numLayers() - 1) + ".mlp.W_out" : "outproj.W";
        int outCols = transformer ? spec.dMlp() : spec.dModel();
        FourierProgress f = FourierProgress.of(matrix(params.get("embed.W_E"), rows, spec.vocab()),
                matrix(params.get("unembed.W_U"), rows, spec.vocab()), matrix(params.get(out), rows, outCols), p,
                ProgressMeasures.DEFAULT_ETA);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("ffd", f.ffd());
        m.put("fcr", f.fcr());
        m.put("ffd_wl", f.ffdWl());
        m.put("fcr_wl", f.fcrWl());
        return m;
    }

    private static double[][] matrix(double[] flat, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * cols, m[r], 0, cols);
        }
        return m;
    }
}
