package polygrok.backend.cpuref;

import polygrok.tensor.DoubleStorage;
import polygrok.tensor.IntStorage;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * What every reference loop needs from a tensor: its heap array and where each model's block starts
 * (shapes are checked by OpShapes before the loops run).
 */
final class RefTensors {
    private RefTensors() {
    }

    /** The float64 array behind a tensor (cpuref keeps everything on the heap in float64). */
    static double[] doubles(Tensor t) {
        if (!(t.storage() instanceof DoubleStorage s)) {
            throw new IllegalArgumentException("cpuref needs float64 heap tensors, got " + t);
        }
        return s.data;
    }

    /** The int array behind an I32 tensor (tokens, labels). */
    static int[] ints(Tensor t) {
        if (!(t.storage() instanceof IntStorage s)) {
            throw new IllegalArgumentException("cpuref needs I32 heap tensors here, got " + t);
        }
        return s.data;
    }

    /** Where model m's block of the tensor starts in its array. */
    static int base(Tensor t, int m) {
        return (int) t.base(m);
    }

    /** A packed float64 tensor of zeros. */
    static Tensor packedZeros(Shape shape) {
        return new Tensor(new DoubleStorage(shape.size()), 0, shape);
    }
}
