package polygrok.backend.cpu;

import static polygrok.backend.cpu.CpuContext.base;
import static polygrok.backend.cpu.CpuContext.floats;

import polygrok.tensor.Tensor;

/**
 * Reductions over the position axis of [M, B, T, D]: the last position (a copy) and the sum of all
 * positions, forward and backward. Each output element is summed in position order.
 */
final class CpuPositions {
    private final CpuContext cx;

    CpuPositions(CpuContext cx) {
        this.cx = cx;
    }

    void lastForward(Tensor x, Tensor out) {
        float[] a = floats(x), o = floats(out);
        int batch = x.dim(1), t = x.dim(2), dm = x.dim(3);
        for (int m = 0; m < x.models(); m++) {
            int xb = base(x, m), ob = base(out, m);
            for (int e = 0; e < batch; e++) {
                System.arraycopy(a, xb + (e * t + t - 1) * dm, o, ob + e * dm, dm);
            }
        }
    }

    void lastBackward(Tensor dOut, Tensor dX) {
        float[] g = floats(dOut), gx = floats(dX);
        int batch = dX.dim(1), t = dX.dim(2), dm = dX.dim(3);
        for (int m = 0; m < dX.models(); m++) {
            int gb = base(dOut, m), xb = base(dX, m);
            for (int e = 0; e < batch; e++) {
                int src = gb + e * dm, dst = xb + (e * t + t - 1) * dm;
                for (int j = 0; j < dm; j++) {
                    gx[dst + j] += g[src + j];
                }
            }
        }
    }

    void sumForward(Tensor x, Tensor out) {
        float[] a = floats(x), o = floats(out);
        int batch = x.dim(1), t = x.dim(2), dm = x.dim(3);
        cx.forModels(x.models(), (long) batch * t * dm, (m, lane) -> {
            int xb = base(x, m), ob = base(out, m);
            cx.forRange(lane, batch, 256, (long) t * dm, (from, to, w) -> {
                for (int e = from; e < to; e++) {
                    int dst = ob + e * dm;
                    System.arraycopy(a, xb + e * t * dm, o, dst, dm);
                    for (int p = 1; p < t; p++) {
                        int src = xb + (e * t + p) * dm;
                        for (int j = 0; j < dm; j++) {
                            o[dst + j] += a[src + j];
                        }
                    }
                }
            });
        });
    }

    void sumBackward(Tensor dOut, Tensor dX) {
        float[] g = floats(dOut), gx = floats(dX);
        int batch = dX.dim(1), t = dX.dim(2), dm = dX.dim(3);
        cx.forModels(dX.models(), (long) batch * t * dm, (m, lane) -> {
            int gb = base(dOut, m), xb = base(dX, m);
            cx.forRange(lane, batch, 256, (long) t * dm, (from, to, w) -> {
                for (int e = from; e < to; e++) {
                    for (int p = 0; p < t; p++) {
                        int dst = xb + (e * t + p) * dm;
                        for (int j = 0; j < dm; j++) {
                            gx[dst + j] += g[gb + e * dm + j];
                        }
                    }
                }
            });
        });
    }
}
