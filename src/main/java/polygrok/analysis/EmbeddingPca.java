package polygrok.analysis;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * PCA of the number-token embeddings to two dimensions: each of the p tokens is a point in
 * d_model dimensions (a column of W_E); points are centred on their mean and projected onto the
 * two leading right-singular vectors of the centred [p][d] matrix. A principal axis is only
 * defined up to sign, so each axis is flipped to make its largest-magnitude component positive:
 * the same weights always give the same picture.
 *
 * @param coordinates [p][2] projected points, token t at row t
 * @param explainedVariance share of the total variance each of the two axes carries
 */
public record EmbeddingPca(double[][] coordinates, double[] explainedVariance) {

    /** PCA of the first p columns of w ([d][>= p], one row per model dimension). */
    public static EmbeddingPca ofColumns(double[][] w, int p) {
        int d = w.length;
        if (d < 1 || p < 2) {
            throw new IllegalArgumentException("PCA needs at least 1 model dimension and 2 tokens, got d = " + d + ", p = " + p);
        }
        double[][] x = new double[p][d];
        for (int j = 0; j < d; j++) {
            if (w[j].length < p) {
                throw new IllegalArgumentException("weight row " + j + " has " + w[j].length + " columns; need p = " + p);
            }
            double mean = 0;
            for (int t = 0; t < p; t++) {
                mean += w[j][t];
            }
            mean /= p;
            for (int t = 0; t < p; t++) {
                x[t][j] = w[j][t] - mean;
            }
        }
        RealMatrix centred = new Array2DRowRealMatrix(x, false);
        SingularValueDecomposition svd = new SingularValueDecomposition(centred);
        double[] sv = svd.getSingularValues();
        RealMatrix v = svd.getV(); // [d][r], columns are principal axes
        double total = 0;
        for (double s : sv) {
            total += s * s;
        }
        double[][] coords = new double[p][2];
        double[] explained = new double[2];
        for (int axis = 0; axis < 2; axis++) {
            if (axis >= sv.length) {
                continue; // fewer than 2 dimensions: the second axis stays at zero
            }
            double[] dir = v.getColumn(axis);
            int big = 0;
            for (int j = 1; j < d; j++) {
                if (Math.abs(dir[j]) > Math.abs(dir[big])) {
                    big = j;
                }
            }
            double sign = dir[big] < 0 ? -1 : 1;
            for (int t = 0; t < p; t++) {
                coords[t][axis] = sign * FourierBasis.dot(x[t], dir);
            }
            explained[axis] = total == 0 ? 0 : sv[axis] * sv[axis] / total;
        }
        return new EmbeddingPca(coords, explained);
    }
}
