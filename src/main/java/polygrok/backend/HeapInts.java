package polygrok.backend;

import polygrok.tensor.IntStorage;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/** I32 tensors on the Java heap, as both CPU backends keep tokens and labels. */
public final class HeapInts {
    private HeapInts() {
    }

    /** A packed I32 tensor holding a copy of {@code values}. */
    public static Tensor of(Shape shape, int[] values) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException(values.length + " values for I32 shape " + shape);
        }
        return new Tensor(new IntStorage(values.clone()), 0, shape);
    }

    public static int[] data(Tensor t) {
        if (!(t.storage() instanceof IntStorage s)) {
            throw new IllegalArgumentException("expected an I32 heap tensor, got " + t);
        }
        return s.data;
    }

    /** Overwrites {@code dst} (row-major over its shape, model by model) with {@code values}. */
    public static void upload(Tensor dst, int[] values) {
        if (values.length != dst.size()) {
            throw new IllegalArgumentException(values.length + " values for " + dst);
        }
        int[] a = data(dst);
        int per = (int) dst.perModel();
        for (int m = 0; m < dst.models(); m++) {
            System.arraycopy(values, m * per, a, (int) dst.base(m), per);
        }
    }

    /** The tensor's values as doubles, model by model (toDoubles of an I32 tensor). */
    public static double[] readAsDoubles(Tensor t) {
        int[] v = read(t);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    /** The tensor's values, model by model. */
    public static int[] read(Tensor t) {
        int[] a = data(t);
        int per = (int) t.perModel();
        int[] out = new int[(int) t.size()];
        for (int m = 0; m < t.models(); m++) {
            System.arraycopy(a, (int) t.base(m), out, m * per, per);
        }
        return out;
    }
}
