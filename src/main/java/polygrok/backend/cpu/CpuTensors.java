package polygrok.backend.cpu;

import static polygrok.backend.cpu.CpuContext.base;
import static polygrok.backend.cpu.CpuContext.floats;

import polygrok.backend.OpShapes;
import polygrok.tensor.IntStorage;
import polygrok.tensor.Tensor;

/**
 * Float32 tensors in and out of the cpu backend and the whole-tensor operations on them: values from
 * and to double arrays (model after model), fill, copy and elementwise add, big ones split over the pool.
 */
final class CpuTensors {
    private final CpuContext cx;

    CpuTensors(CpuContext cx) {
        this.cx = cx;
    }

    void upload(Tensor dst, double[] values) {
        if (values.length != dst.size()) {
            throw new IllegalArgumentException(values.length + " values for " + dst);
        }
        float[] a = floats(dst);
        int per = (int) dst.perModel();
        for (int m = 0; m < dst.models(); m++) {
            int o = base(dst, m);
            for (int j = 0; j < per; j++) {
                a[o + j] = (float) values[m * per + j];
            }
        }
    }

    double[] toDoubles(Tensor t) {
        if (t.storage() instanceof IntStorage) {
            return polygrok.backend.HeapInts.readAsDoubles(t);
        }
        int per = (int) t.perModel();
        double[] out = new double[(int) t.size()];
        float[] a = floats(t);
        for (int m = 0; m < t.models(); m++) {
            for (int j = 0; j < per; j++) {
                out[m * per + j] = a[base(t, m) + j];
            }
        }
        return out;
    }

    void fill(Tensor t, double value) {
        float[] a = floats(t);
        float v = (float) value;
        int per = (int) t.perModel();
        for (int m = 0; m < t.models(); m++) {
            int o = base(t, m);
            cx.forRange(per, 1 << 16, 1, (from, to, w) -> java.util.Arrays.fill(a, o + from, o + to, v));
        }
    }

    void copy(Tensor src, Tensor dst) {
        OpShapes.copy(src, dst);
        float[] s = floats(src), o = floats(dst);
        int per = (int) src.perModel();
        for (int m = 0; m < src.models(); m++) {
            System.arraycopy(s, base(src, m), o, base(dst, m), per);
        }
    }

    void add(Tensor x, Tensor y, Tensor out) {
        OpShapes.add(x, y, out);
        float[] a = floats(x), c = floats(y), o = floats(out);
        int per = (int) x.perModel();
        cx.forModels(x.models(), per, (m, lane) -> {
            int xa = base(x, m), ya = base(y, m), oa = base(out, m);
            cx.forRange(lane, per, 1 << 16, 1, (from, to, w) -> {
                for (int j = from; j < to; j++) {
                    o[oa + j] = a[xa + j] + c[ya + j];
                }
            });
        });
    }
}
