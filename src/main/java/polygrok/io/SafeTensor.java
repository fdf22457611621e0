package polygrok.io;

import java.util.Arrays;

/**
 * One named tensor of a safetensors file, its values held as doubles whatever the stored type
 * (every F32, I32 and the I64 values polygrok writes are exact in a double). Row-major.
 *
 * <p>The values array is not copied: a tensor read from a file owns it, and a caller building one
 * hands it over. F32 values are rounded to float on construction so that what a tensor holds is
 * exactly what a write and a read give back. Record equality compares the arrays by identity;
 * {@link #sameAs} compares contents.
 *
 * @param shape  dimensions, empty for a scalar
 * @param values product(shape) elements, row-major
 */
public record SafeTensor(String name, SafeDType dtype, int[] shape, double[] values) {

    /** Largest magnitude up to which every integer is exact in a double. */
    static final double MAX_EXACT_INTEGER = 9007199254740992.0; // 2^53

    public SafeTensor {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("tensor name must be a non-empty string, got " + (name == null ? "null" : "\"\""));
        }
        if (dtype == null || shape == null || values == null) {
            throw new IllegalArgumentException("tensor " + name + ": dtype, shape and values must not be null");
        }
        shape = shape.clone();
        long count = elementCount(name, shape);
        if (count != values.length) {
            throw new IllegalArgumentException("tensor " + name + ": shape " + Arrays.toString(shape) + " holds " + count
                    + " elements but " + values.length + " values were given");
        }
        if (dtype == SafeDType.F32) {
            values = roundedToFloat(values);
        } else if (dtype.isInteger()) {
            checkIntegers(name, dtype, values);
        }
    }

    /** The values of a tensor that holds weights: a tensor stored as integers is refused, not trained as numbers. */
    public double[] weights(Object file) {
        if (dtype.isInteger()) {
            throw new IllegalArgumentException(file + ": tensor " + name + " is stored as " + dtype + "; weights must be floating point"
                    + " (F32 or F64): the file is damaged or was not written for weights");
        }
        return values;
    }

    public static SafeTensor f32(String name, int[] shape, double[] values) {
        return new SafeTensor(name, SafeDType.F32, shape, values);
    }

    public static SafeTensor f64(String name, int[] shape, double[] values) {
        return new SafeTensor(name, SafeDType.F64, shape, values);
    }

    public static SafeTensor i64(String name, int[] shape, double[] values) {
        return new SafeTensor(name, SafeDType.I64, shape, values);
    }

    public static SafeTensor i32(String name, int[] shape, double[] values) {
        return new SafeTensor(name, SafeDType.I32, shape, values);
    }

    /** Shape as a copy, so that callers cannot change this tensor's. */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code axis}. */
    public int dim(int axis) {
        if (axis < 0 || axis >= shape.length) {
            throw new IllegalArgumentException("tensor " + name + ": axis " + axis + " out of range for shape " + Arrays.toString(shape));
        }
        return shape[axis];
    }

    public int elementCount() {
        return values.length;
    }

    /** Bytes the values take in a file. */
    public long byteCount() {
        return (long) values.length * dtype.byteSize();
    }

    /** The same tensor under another name (sharing the values). */
    public SafeTensor withName(String newName) {
        return new SafeTensor(newName, dtype, shape, values);
    }

    /** The values as ints; only for integer tensors, whose values must fit in an int. */
    public int[] intValues() {
        if (!dtype.isInteger()) {
            throw new IllegalStateException("tensor " + name + " is " + dtype + ", not an integer tensor");
        }
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new IllegalStateException("tensor " + name + ": value " + (long) v + " at index " + i + " does not fit in an int");
            }
            out[i] = (int) v;
        }
        return out;
    }

    /** Whether name, dtype, shape and every value (bitwise, so NaN equals NaN) agree. */
    public boolean sameAs(SafeTensor other) {
        return other != null && name.equals(other.name) && dtype == other.dtype && Arrays.equals(shape, other.shape)
                && Arrays.equals(values, other.values);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape);
    }

    static long elementCount(String name, int[] shape) {
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("tensor " + name + ": dimension " + i + " of shape " + Arrays.toString(shape)
                        + " is negative");
            }
            count *= shape[i];
            if (count > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("tensor " + name + ": shape " + Arrays.toString(shape)
                        + " has more elements than a Java array holds");
            }
        }
        return count;
    }

    private static double[] roundedToFloat(double[] values) {
        for (int i = 0; i < values.length; i++) {
            if ((double) (float) values[i] != values[i] && !Double.isNaN(values[i])) {
                double[] rounded = values.clone();
                for (int j = i; j < rounded.length; j++) {
                    rounded[j] = (float) rounded[j];
                }
                return rounded;
            }
        }
        return values; // already exact floats: no copy
    }

    private static void checkIntegers(String name, SafeDType dtype, double[] values) {
        double limit = dtype == SafeDType.I32 ? 2147483648.0 : MAX_EXACT_INTEGER;
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (v != Math.rint(v) || v >= limit || v < -limit) {
                throw new IllegalArgumentException("tensor " + name + ": value " + v + " at index " + i + " is not a whole number "
                        + dtype + " can hold (allowed: integers in [" + (long) -limit + ", " + (long) limit + "))");
            }
        }
    }
}
