package polygrok.backend.cpuref;

import static polygrok.backend.cpuref.RefTensors.base;
import static polygrok.backend.cpuref.RefTensors.doubles;

import polygrok.tensor.Tensor;

/**
 * Reductions over the position axis: the last position, and the sum of all positions. Float64
 * loops written to be read; see {@link CpuRefBackend}.
 */
final class RefPositions {
    private RefPositions() {
    }

    static void lastForward(Tensor x, Tensor out) {
        double[] a = doubles(x), o = doubles(out);
        int batch = x.dim(1), t = x.dim(2), dm = x.dim(3);
        for (int m = 0; m < x.models(); m++) {
            for (int e = 0; e < batch; e++) {
                System.arraycopy(a, base(x, m) + (e * t + t - 1) * dm, o, base(out, m) + e * dm, dm);
            }
        }
    }

    static void lastBackward(Tensor dOut, Tensor dX) {
        double[] g = doubles(dOut), gx = doubles(dX);
        int batch = dX.dim(1), t = dX.dim(2), dm = dX.dim(3);
        for (int m = 0; m < dX.models(); m++) {
            for (int e = 0; e < batch; e++) {
                for (int j = 0; j < dm; j++) {
                    gx[base(dX, m) + (e * t + t - 1) * dm + j] += g[base(dOut, m) + e * dm + j];
                }
            }
        }
    }

    static void sumForward(Tensor x, Tensor out) {
        double[] a = doubles(x), o = doubles(out);
        int batch = x.dim(1), t = x.dim(2), dm = x.dim(3);
        for (int m = 0; m < x.models(); m++) {
            for (int e = 0; e < batch; e++) {
                for (int j = 0; j < dm; j++) {
                    double s = 0;
                    for (int p = 0; p < t; p++) {
                        s += a[base(x, m) + (e * t + p) * dm + j];
                    }
                    o[base(out, m) + e * dm + j] = s;
                }
            }
        }
    }

    static void sumBackward(Tensor dOut, Tensor dX) {
        double[] g = doubles(dOut), gx = doubles(dX);
        int batch = dX.dim(1), t = dX.dim(2), dm = dX.dim(3);
        for (int m = 0; m < dX.models(); m++) {
            for (int e = 0; e < batch; e++) {
                for (int p = 0; p < t; p++) {
                    for (int j = 0; j < dm; j++) {
                        gx[base(dX, m) + (e * t + p) * dm + j] += g[base(dOut, m) + e * dm + j];
                    }
                }
            }
        }
    }
}
