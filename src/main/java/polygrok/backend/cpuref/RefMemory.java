package polygrok.backend.cpuref;

import static polygrok.backend.cpuref.RefTensors.base;
import static polygrok.backend.cpuref.RefTensors.doubles;

import polygrok.tensor.Tensor;

/**
 * fill, copy and add, one model block at a time. Float64 loops written to be read; see {@link
 * CpuRefBackend}.
 */
final class RefMemory {
    private RefMemory() {
    }

    static void fill(Tensor t, double value) {
        double[] a = doubles(t);
        for (int m = 0; m < t.models(); m++) {
            java.util.Arrays.fill(a, base(t, m), base(t, m) + (int) t.perModel(), value);
        }
    }

    static void copy(Tensor src, Tensor dst) {
        double[] s = doubles(src), o = doubles(dst);
        for (int m = 0; m < src.models(); m++) {
            System.arraycopy(s, base(src, m), o, base(dst, m), (int) src.perModel());
        }
    }

    static void add(Tensor x, Tensor y, Tensor out) {
        double[] a = doubles(x), c = doubles(y), o = doubles(out);
        for (int m = 0; m < x.models(); m++) {
            for (int j = 0; j < x.perModel(); j++) {
                o[base(out, m) + j] = a[base(x, m) + j] + c[base(y, m) + j];
            }
        }
    }
}
