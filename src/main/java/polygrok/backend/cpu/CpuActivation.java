package polygrok.backend.cpu;

import static polygrok.backend.cpu.CpuContext.base;
import static polygrok.backend.cpu.CpuContext.floats;

import polygrok.backend.Activation;
import polygrok.tensor.Tensor;

/** Activations (ReLU, GELU) over whole tensors, forward and backward; small models of a group side by side. */
final class CpuActivation {
    private final CpuContext cx;

    CpuActivation(CpuContext cx) {
        this.cx = cx;
    }

    void forward(Activation act, Tensor x, Tensor out) {
        float[] a = floats(x), o = floats(out);
        int per = (int) x.perModel();
        cx.forModels(x.models(), per * 16L, (m, lane) -> cx.activate(lane, act, a, base(x, m), o, base(out, m), per));
    }

    void backward(Activation act, Tensor x, Tensor dOut, Tensor dX) {
        float[] a = floats(x), g = floats(dOut), gx = floats(dX);
        int per = (int) x.perModel();
        cx.forModels(x.models(), per * 16L, (m, lane) -> {
            int xb = base(x, m), gb = base(dOut, m), db = base(dX, m);
            cx.forRange(lane, per, 1 << 14, act == Activation.RELU ? 1 : 4, (from, to, w) -> {
                if (act == Activation.RELU) {
                    cx.loops.reluGradAdd(a, xb + from, g, gb + from, gx, db + from, to - from);
                } else {
                    cx.loops.geluGradAdd(a, xb + from, g, gb + from, gx, db + from, to - from);
                }
            });
        });
    }
}
