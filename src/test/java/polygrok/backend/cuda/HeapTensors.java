package polygrok.backend.cuda;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import polygrok.backend.cpuref.CpuRefBackend;
import polygrok.tensor.DoubleStorage;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * Tensors held twice, on cpuref (float64) and on a {@link HostHeap} (float32, as on a device), with the same
 * float-rounded values: tests run an op on cpuref and the matching kernels on the heap, then compare. A tensor
 * may sit in a [M, stride] block with a gap after each model's values; gaps start as NaN and must stay NaN,
 * so a kernel that writes with the wrong stride or past a model's end is caught.
 */
final class HeapTensors {
    final CpuRefBackend ref = new CpuRefBackend();
    final HostHeap heap;
    private final Random random;

    /** A tensor on both sides: cpuref's, and the heap's at {@code base} with model stride {@code stride}. */
    record Twin(Tensor ref, int base, long stride, Shape shape) {
        DeviceView view() {
            return new DeviceView(HostHeap.pointer(base), stride);
        }

        int models() {
            return shape.dim(0);
        }

        int perModel() {
            return Math.toIntExact(shape.perModel());
        }
    }

    HeapTensors(int heapFloats, long seed) {
        heap = new HostHeap(heapFloats);
        random = new Random(seed);
    }

    /** Uniform values in [-scale, scale], rounded to float so that both sides start equal. */
    double[] values(long n, double scale) {
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }

    Twin random(Shape shape, double scale, int gap) {
        return of(shape, gap, values(shape.size(), scale));
    }

    Twin of(Shape shape, int gap, double[] values) {
        long stride = shape.perModel() + gap;
        int base = heap.region(shape.dim(0) * stride);
        Twin t = new Twin(new Tensor(new DoubleStorage(shape.dim(0) * stride), 0, shape, stride), base, stride, shape);
        set(t, values);
        return t;
    }

    /** Overwrites both sides with {@code values} (row-major over the shape), rounded to float on both. */
    void set(Twin t, double[] values) {
        double[] rounded = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            rounded[i] = (float) values[i];
        }
        ref.upload(t.ref(), rounded);
        for (int m = 0; m < t.models(); m++) {
            for (int j = 0; j < t.perModel(); j++) {
                heap.data[(int) (t.base() + m * t.stride() + j)] = (float) values[m * t.perModel() + j];
            }
        }
    }

    /** The heap side's value of model m, element j. */
    float heapValue(Twin t, int m, int j) {
        return heap.data[(int) (t.base() + m * t.stride() + j)];
    }

    /**
     * The heap side must equal cpuref within {@code atol * max|cpuref| + rtol * |cpuref|} per element, and
     * the gaps between models must still be NaN. The failure names op, tensor, model, index and both values.
     */
    void check(String op, String name, Twin t, double atol, double rtol) {
        double[] r = ref.toDoubles(t.ref());
        double max = 0;
        for (double x : r) {
            max = Math.max(max, Math.abs(x));
        }
        for (int m = 0; m < t.models(); m++) {
            for (int j = 0; j < t.perModel(); j++) {
                double got = heapValue(t, m, j), want = r[m * t.perModel() + j];
                if (!(Math.abs(got - want) <= atol * max + rtol * Math.abs(want))) {
                    fail(op + ": " + name + "[model " + m + ", " + j + "]: kernel " + got + " vs cpuref " + want
                            + " (tolerance " + atol + " x max " + max + " + " + rtol + " relative)");
                }
            }
            for (long j = t.perModel(); j < t.stride(); j++) {
                float gap = heap.data[(int) (t.base() + m * t.stride() + j)];
                if (!Float.isNaN(gap)) {
                    fail(op + ": " + name + " written outside its tensor, in the gap after model " + m + " at " + j + ": " + gap);
                }
            }
        }
    }
}
