package polygrok.backend.cpuref;

import static polygrok.backend.cpuref.RefTensors.base;
import static polygrok.backend.cpuref.RefTensors.doubles;

import polygrok.tensor.Tensor;

/**
 * LayerNorm over the last axis, saving mean and 1/std for the backward. Float64 loops written to
 * be read; see {@link CpuRefBackend}.
 */
final class RefLayerNorm {
    private RefLayerNorm() {
    }

    static void forward(Tensor x, Tensor w, Tensor bias, double eps, Tensor mean, Tensor rstd, Tensor out) {
        double[] a = doubles(x), ww = doubles(w), bb = doubles(bias), mu = doubles(mean), rs = doubles(rstd), o = doubles(out);
        int n = x.dim(1), dm = x.dim(2);
        for (int m = 0; m < x.models(); m++) {
            for (int r = 0; r < n; r++) {
                int row = base(x, m) + r * dm;
                double s = 0;
                for (int j = 0; j < dm; j++) {
                    s += a[row + j];
                }
                double mn = s / dm, var = 0;
                for (int j = 0; j < dm; j++) {
                    var += (a[row + j] - mn) * (a[row + j] - mn);
                }
                double r1 = 1 / Math.sqrt(var / dm + eps);
                mu[base(mean, m) + r] = mn;
                rs[base(rstd, m) + r] = r1;
                for (int j = 0; j < dm; j++) {
                    o[base(out, m) + r * dm + j] = (a[row + j] - mn) * r1 * ww[base(w, m) + j] + bb[base(bias, m) + j];
                }
            }
        }
    }

    static void backward(Tensor x, Tensor w, Tensor mean, Tensor rstd, Tensor dOut, Tensor dX, Tensor dW, Tensor dB) {
        double[] a = doubles(x), ww = doubles(w), mu = doubles(mean), rs = doubles(rstd), g = doubles(dOut), gx = doubles(dX), gw = doubles(dW), gb = doubles(dB);
        int n = x.dim(1), dm = x.dim(2);
        for (int m = 0; m < x.models(); m++) {
            for (int r = 0; r < n; r++) {
                int row = base(x, m) + r * dm, grow = base(dOut, m) + r * dm;
                double mn = mu[base(mean, m) + r], r1 = rs[base(rstd, m) + r];
                double sumG = 0, sumGX = 0;
                for (int j = 0; j < dm; j++) {
                    double xhat = (a[row + j] - mn) * r1;
                    double gxhat = g[grow + j] * ww[base(w, m) + j];
                    gw[base(dW, m) + j] += g[grow + j] * xhat;
                    gb[base(dB, m) + j] += g[grow + j];
                    sumG += gxhat;
                    sumGX += gxhat * xhat;
                }
                for (int j = 0; j < dm; j++) {
                    double xhat = (a[row + j] - mn) * r1;
                    double gxhat = g[grow + j] * ww[base(w, m) + j];
                    gx[base(dX, m) + r * dm + j] += r1 * (gxhat - sumG / dm - xhat * sumGX / dm);
                }
            }
        }
    }
}
