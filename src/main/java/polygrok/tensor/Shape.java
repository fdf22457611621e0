package polygrok.tensor;

import java.util.Arrays;

/**
 * Dimensions of a row-major tensor. By convention the first dimension of every training tensor
 * is the model axis M (M independent models trained side by side).
 */
public final class Shape {
    private final int[] dims;
    private final long size;

    private Shape(int[] dims) {
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalArgumentException("negative dimension " + dims[i] + " at axis " + i + " of " + Arrays.toString(dims));
            }
            n *= dims[i];
        }
        this.dims = dims;
        this.size = n;
    }

    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    public static Shape of(long... dims) {
        int[] d = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            d[i] = Math.toIntExact(dims[i]);
        }
        return new Shape(d);
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int axis) {
        return dims[axis < 0 ? dims.length + axis : axis];
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements. */
    public long size() {
        return size;
    }

    /** Elements per model: size / dim(0). */
    public long perModel() {
        return dims.length == 0 || dims[0] == 0 ? 0 : size / dims[0];
    }

    /** This shape without its leading model axis. */
    public Shape dropModelAxis() {
        return new Shape(Arrays.copyOfRange(dims, 1, dims.length));
    }

    /** {@code [m, ...this]}. */
    public Shape withModelAxis(int m) {
        int[] d = new int[dims.length + 1];
        d[0] = m;
        System.arraycopy(dims, 0, d, 1, dims.length);
        return new Shape(d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
