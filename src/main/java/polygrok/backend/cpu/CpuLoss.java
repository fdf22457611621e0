package polygrok.backend.cpu;

import polygrok.backend.LossMode;
import polygrok.tensor.Tensor;

/** The cross-entropy family on the CPU: the seed's float64 cross-entropy, or StableMax and float32 arithmetic. */
final class CpuLoss {
    private final CpuCrossEntropy crossEntropy;
    private final CpuLossModes modes;

    CpuLoss(CpuContext cx) {
        this.crossEntropy = new CpuCrossEntropy(cx);
        this.modes = new CpuLossModes(cx);
    }

    void forward(Tensor logits, Tensor labels, Tensor weights, LossMode mode, Tensor perExample, Tensor loss) {
        if (mode.isDefault()) {
            crossEntropy.forward(logits, labels, weights, perExample, loss);
        } else {
            modes.forward(logits, labels, weights, mode, perExample, loss);
        }
    }

    void backward(Tensor logits, Tensor labels, Tensor weights, LossMode mode, Tensor dLogits) {
        if (mode.isDefault()) {
            crossEntropy.backward(logits, labels, weights, dLogits);
        } else {
            modes.backward(logits, labels, weights, mode, dLogits);
        }
    }
}
