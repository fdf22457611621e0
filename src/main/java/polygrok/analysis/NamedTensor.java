package polygrok.analysis;

import java.util.Arrays;

/**
 * One parameter read from a checkpoint: its name, shape and values (row-major, widened to double).
 */
public record NamedTensor(String name, int[] shape, double[] values) {
    public NamedTensor {
        long size = 1;
        for (int d : shape) {
            size *= d;
        }
        if (size != values.length) {
            throw new IllegalArgumentException("tensor " + name + ": shape " + Arrays.toString(shape) + " holds " + size
                    + " values, got " + values.length);
        }
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Rank >= 2 tensors as a matrix: the last axis is the columns, all others fold into rows. */
    public double[][] asMatrix() {
        if (shape.length < 2) {
            throw new IllegalArgumentException("tensor " + name + " has shape " + Arrays.toString(shape) + "; a matrix needs rank >= 2");
        }
        int cols = shape[shape.length - 1];
        int rows = values.length / Math.max(cols, 1);
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(values, r * cols, m[r], 0, cols);
        }
        return m;
    }
}
