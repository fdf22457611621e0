package polygrok.backend.cpuref;

import static polygrok.backend.cpuref.RefTensors.base;
import static polygrok.backend.cpuref.RefTensors.doubles;

import polygrok.backend.Activation;
import polygrok.backend.WeightLayout;
import polygrok.tensor.Tensor;

/**
 * Linear layers in either weight layout, and the MLP built from two of them around an activation.
 * Float64 loops written to be read; see {@link CpuRefBackend}.
 */
final class RefLinear {
    private RefLinear() {
    }

    static void forward(Tensor x, Tensor w, WeightLayout layout, Tensor y) {
        double[] a = doubles(x), ww = doubles(w), o = doubles(y);
        int n = x.dim(1), in = x.dim(2), outDim = y.dim(2);
        for (int m = 0; m < x.models(); m++) {
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < outDim; c++) {
                    double s = 0;
                    for (int k = 0; k < in; k++) {
                        s += a[base(x, m) + r * in + k] * ww[base(w, m) + weightIndex(layout, c, k, in, outDim)];
                    }
                    o[base(y, m) + r * outDim + c] = s;
                }
            }
        }
    }

    static void backward(Tensor x, Tensor w, WeightLayout layout, Tensor dY, Tensor dX, Tensor dW) {
        double[] a = doubles(x), ww = doubles(w), g = doubles(dY), gx = doubles(dX), gw = doubles(dW);
        int n = x.dim(1), in = x.dim(2), outDim = dY.dim(2);
        for (int m = 0; m < x.models(); m++) {
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < outDim; c++) {
                    double gy = g[base(dY, m) + r * outDim + c];
                    for (int k = 0; k < in; k++) {
                        int wi = weightIndex(layout, c, k, in, outDim);
                        gx[base(dX, m) + r * in + k] += gy * ww[base(w, m) + wi];
                        gw[base(dW, m) + wi] += gy * a[base(x, m) + r * in + k];
                    }
                }
            }
        }
    }

    static void mlpForward(Tensor x, Tensor wIn, Tensor wOut, Activation act, Tensor pre, Tensor out) {
        forward(x, wIn, WeightLayout.OUT_IN, pre);
        Tensor hidden = RefTensors.packedZeros(pre.shape());
        RefActivation.forward(act, pre, hidden);
        forward(hidden, wOut, WeightLayout.OUT_IN, out);
    }

    static void mlpBackward(Tensor x, Tensor wIn, Tensor wOut, Activation act, Tensor pre, Tensor dOut,
                            Tensor dX, Tensor dWIn, Tensor dWOut) {
        Tensor hidden = RefTensors.packedZeros(pre.shape());
        RefActivation.forward(act, pre, hidden);
        Tensor dHidden = RefTensors.packedZeros(pre.shape());
        backward(hidden, wOut, WeightLayout.OUT_IN, dOut, dHidden, dWOut);
        Tensor dPre = RefTensors.packedZeros(pre.shape());
        RefActivation.backward(act, pre, dHidden, dPre);
        backward(x, wIn, WeightLayout.OUT_IN, dPre, dX, dWIn);
    }

    /** Index of the weight connecting input k to output c. */
    static int weightIndex(WeightLayout layout, int c, int k, int in, int out) {
        return layout == WeightLayout.OUT_IN ? c * in + k : k * out + c;
    }
}
