package polygrok.analysis;

import java.util.List;

/**
 * analysis.json: the measures of every checkpoint of a run, in training order, and the PCA map of
 * the last checkpoint's number-token embeddings.
 *
 * @param primitiveRoot the generator of the discrete-log basis (null when p is not an odd prime)
 */
public record RunAnalysis(int p, List<String> ops, double eta, double keyEnergyFraction, Integer primitiveRoot,
                          List<CheckpointMeasures> checkpoints, Pca pca) {
    public RunAnalysis {
        checkpoints = List.copyOf(checkpoints);
        ops = List.copyOf(ops);
    }

    /** PCA of one checkpoint's number-token embeddings. */
    public record Pca(String label, int epoch, double[][] coordinates, double[] explainedVariance) {
    }
}
