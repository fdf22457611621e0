package polygrok.backend.cpuref;

import static polygrok.backend.cpuref.RefTensors.base;
import static polygrok.backend.cpuref.RefTensors.doubles;

import polygrok.backend.Activation;
import polygrok.backend.AdamWSettings;
import polygrok.backend.AttentionSaved;
import polygrok.backend.Backend;
import polygrok.backend.LossMode;
import polygrok.backend.OpShapes;
import polygrok.backend.WeightLayout;
import polygrok.tensor.DType;
import polygrok.tensor.IntStorage;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * The float64 reference: plain loops written to be read, one model and one example at a time.
 * Every other backend is tested against this one, and finite-difference gradient checks run on it.
 * Speed is not a goal here; clarity is. This class holds memory and dispatch; each op family's
 * loops are in its own file (RefEmbedding, RefAttention, RefLinear, RefActivation, RefLayerNorm,
 * RefPositions, RefCrossEntropy, RefNorms, RefAdamW, RefGradFilter, RefOrthogonalGradient, RefMemory).
 */
public final class CpuRefBackend implements Backend {

    @Override
    public String name() {
        return "cpuref";
    }

    @Override
    public DType dtype() {
        return DType.F64;
    }

    // ---- memory -------------------------------------------------------------------------------

    @Override
    public Tensor zeros(Shape shape) {
        return RefTensors.packedZeros(shape);
    }

    @Override
    public Tensor ints(Shape shape, int[] values) {
        return polygrok.backend.HeapInts.of(shape, values);
    }

    @Override
    public void upload(Tensor dst, double[] values) {
        if (values.length != dst.size()) {
            throw new IllegalArgumentException(values.length + " values for " + dst);
        }
        double[] a = doubles(dst);
        long per = dst.perModel();
        for (int m = 0; m < dst.models(); m++) {
            System.arraycopy(values, (int) (m * per), a, base(dst, m), (int) per);
        }
    }

    @Override
    public void uploadInts(Tensor dst, int[] values) {
        polygrok.backend.HeapInts.upload(dst, values);
    }

    @Override
    public double[] toDoubles(Tensor t) {
        long per = t.perModel();
        double[] out = new double[(int) t.size()];
        if (t.storage() instanceof IntStorage) {
            return polygrok.backend.HeapInts.readAsDoubles(t);
        }
        double[] a = doubles(t);
        for (int m = 0; m < t.models(); m++) {
            System.arraycopy(a, base(t, m), out, (int) (m * per), (int) per);
        }
        return out;
    }

    @Override
    public int[] toInts(Tensor t) {
        return polygrok.backend.HeapInts.read(t);
    }

    @Override
    public void fill(Tensor t, double value) {
        RefMemory.fill(t, value);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        OpShapes.copy(src, dst);
        RefMemory.copy(src, dst);
    }

    @Override
    public void add(Tensor x, Tensor y, Tensor out) {
        OpShapes.add(x, y, out);
        RefMemory.add(x, y, out);
    }



    // ---- embedding ----------------------------------------------------------------------------

    @Override
    public void embedForward(Tensor wE, Tensor tokens, Tensor out) {
        OpShapes.embedForward(wE, tokens, out);
        RefEmbedding.forward(wE, tokens, out);
    }



    @Override
    public void embedBackward(Tensor dOut, Tensor tokens, Tensor dWE) {
        OpShapes.embedBackward(dOut, tokens, dWE);
        RefEmbedding.backward(dOut, tokens, dWE);
    }

    @Override
    public void embedSumForward(Tensor table, Tensor tokens, Tensor out) {
        OpShapes.embedSumForward(table, tokens, out);
        RefEmbedding.sumForward(table, tokens, out);
    }

    @Override
    public void embedSumBackward(Tensor dOut, Tensor tokens, Tensor dTable) {
        OpShapes.embedSumBackward(dOut, tokens, dTable);
        RefEmbedding.sumBackward(dOut, tokens, dTable);
    }

    @Override
    public void positionalForward(Tensor wPos, Tensor x) {
        OpShapes.positionalForward(wPos, x);
        RefEmbedding.positionalForward(wPos, x);
    }

    @Override
    public void positionalBackward(Tensor dX, Tensor dWPos) {
        OpShapes.positionalBackward(dX, dWPos);
        RefEmbedding.positionalBackward(dX, dWPos);
    }

    // ---- attention ----------------------------------------------------------------------------

    @Override
    public void attentionForward(Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO, boolean lastOnly,
                                 AttentionSaved saved, Tensor out) {
        OpShapes.attentionForward(x, wQ, wK, wV, wO, lastOnly, saved, out);
        RefAttention.forward(x, wQ, wK, wV, wO, lastOnly, saved, out);
    }

    @Override
    public void attentionBackward(Tensor x, Tensor wQ, Tensor wK, Tensor wV, Tensor wO, boolean lastOnly,
                                  AttentionSaved saved, Tensor dOut,
                                  Tensor dX, Tensor dWQ, Tensor dWK, Tensor dWV, Tensor dWO) {
        OpShapes.attentionBackward(x, wQ, wK, wV, wO, lastOnly, saved, dOut, dX, dWQ, dWK, dWV, dWO);
        RefAttention.backward(x, wQ, wK, wV, wO, lastOnly, saved, dOut, dX, dWQ, dWK, dWV, dWO);
    }

    @Override
    public void attentionCoreForward(Tensor wO, boolean lastOnly, AttentionSaved saved, Tensor out) {
        OpShapes.attentionCoreForward(wO, lastOnly, saved, out);
        RefAttention.coreForward(wO, lastOnly, saved, out);
    }

    @Override
    public void attentionCoreBackward(Tensor wO, boolean lastOnly, AttentionSaved saved, Tensor dOut,
                                      Tensor dQ, Tensor dK, Tensor dV, Tensor dWO) {
        OpShapes.attentionCoreBackward(wO, lastOnly, saved, dOut, dQ, dK, dV, dWO);
        RefAttention.coreBackward(wO, lastOnly, saved, dOut, dQ, dK, dV, dWO);
    }

    // ---- MLP, linear, activations -------------------------------------------------------------

    @Override
    public void mlpForward(Tensor x, Tensor wIn, Tensor wOut, Activation act, Tensor pre, Tensor out) {
        OpShapes.mlpForward(x, wIn, wOut, pre, out);
        RefLinear.mlpForward(x, wIn, wOut, act, pre, out);
    }

    @Override
    public void mlpBackward(Tensor x, Tensor wIn, Tensor wOut, Activation act, Tensor pre, Tensor dOut,
                            Tensor dX, Tensor dWIn, Tensor dWOut) {
        OpShapes.mlpBackward(x, wIn, wOut, pre, dOut, dX, dWIn, dWOut);
        RefLinear.mlpBackward(x, wIn, wOut, act, pre, dOut, dX, dWIn, dWOut);
    }

    @Override
    public void linearForward(Tensor x, Tensor w, WeightLayout layout, Tensor y) {
        OpShapes.linearForward(x, w, layout, y);
        RefLinear.forward(x, w, layout, y);
    }



    @Override
    public void linearBackward(Tensor x, Tensor w, WeightLayout layout, Tensor dY, Tensor dX, Tensor dW) {
        OpShapes.linearBackward(x, w, layout, dY, dX, dW);
        RefLinear.backward(x, w, layout, dY, dX, dW);
    }

    @Override
    public void activationForward(Activation act, Tensor x, Tensor out) {
        OpShapes.activationForward(x, out);
        RefActivation.forward(act, x, out);
    }

    @Override
    public void activationBackward(Activation act, Tensor x, Tensor dOut, Tensor dX) {
        OpShapes.activationBackward(x, dOut, dX);
        RefActivation.backward(act, x, dOut, dX);
    }

    @Override
    public void layerNormForward(Tensor x, Tensor w, Tensor bias, double eps, Tensor mean, Tensor rstd, Tensor out) {
        OpShapes.layerNormForward(x, w, bias, mean, rstd, out);
        RefLayerNorm.forward(x, w, bias, eps, mean, rstd, out);
    }

    @Override
    public void layerNormBackward(Tensor x, Tensor w, Tensor mean, Tensor rstd, Tensor dOut, Tensor dX, Tensor dW, Tensor dB) {
        OpShapes.layerNormBackward(x, w, mean, rstd, dOut, dX, dW, dB);
        RefLayerNorm.backward(x, w, mean, rstd, dOut, dX, dW, dB);
    }

    // ---- positions ----------------------------------------------------------------------------

    @Override
    public void lastPositionForward(Tensor x, Tensor out) {
        OpShapes.lastPositionForward(x, out);
        RefPositions.lastForward(x, out);
    }

    @Override
    public void lastPositionBackward(Tensor dOut, Tensor dX) {
        OpShapes.lastPositionBackward(dOut, dX);
        RefPositions.lastBackward(dOut, dX);
    }

    @Override
    public void sumPositionsForward(Tensor x, Tensor out) {
        OpShapes.sumPositionsForward(x, out);
        RefPositions.sumForward(x, out);
    }

    @Override
    public void sumPositionsBackward(Tensor dOut, Tensor dX) {
        OpShapes.sumPositionsBackward(dOut, dX);
        RefPositions.sumBackward(dOut, dX);
    }

    // ---- loss, norms and the optimizer -------------------------------------------------------

    /** Every loss: StableMax and float32 arithmetic as well as the seed's cross-entropy. */
    @Override
    public String supportsLoss(LossMode mode) {
        return null;
    }

    @Override
    public void crossEntropyForward(Tensor logits, Tensor labels, Tensor weights, LossMode mode, Tensor perExample, Tensor loss) {
        OpShapes.crossEntropyForward(logits, labels, weights, perExample, loss);
        if (mode.isDefault()) {
            RefCrossEntropy.forward(logits, labels, weights, perExample, loss);
        } else {
            RefLossModes.forward(logits, labels, weights, mode, perExample, loss);
        }
    }

    @Override
    public void crossEntropyBackward(Tensor logits, Tensor labels, Tensor weights, LossMode mode, Tensor dLogits) {
        OpShapes.crossEntropyBackward(logits, labels, weights, dLogits);
        if (mode.isDefault()) {
            RefCrossEntropy.backward(logits, labels, weights, dLogits);
        } else {
            RefLossModes.backward(logits, labels, weights, mode, dLogits);
        }
    }

    @Override
    public void lpPenalty(Tensor params, Tensor trainable, double p, double alpha, Tensor grads, Tensor penalty) {
        OpShapes.lpPenalty(params, trainable, grads, penalty);
        RefNorms.lpPenalty(params, trainable, p, alpha, grads, penalty);
    }

    @Override
    public void parameterNorms(Tensor params, Tensor offsets, Tensor out) {
        OpShapes.parameterNorms(params, offsets, out);
        RefNorms.parameterNorms(params, offsets, out);
    }

    @Override
    public void adamwStep(Tensor params, Tensor grads, Tensor mom1, Tensor mom2, AdamWSettings s) {
        OpShapes.adamwStep(params, grads, mom1, mom2, s);
        RefAdamW.step(params, grads, mom1, mom2, s);
    }

    @Override
    public boolean hasGradFilter() {
        return true;
    }

    @Override
    public void gradFilter(Tensor grads, Tensor state, Tensor count, Tensor trainable, double alpha, double lambda, int window) {
        OpShapes.gradFilter(grads, state, count, trainable, window);
        RefGradFilter.apply(grads, state, count, trainable, alpha, lambda, window);
    }

    @Override
    public boolean hasAdamOptions() {
        return true;
    }

    @Override
    public boolean hasOrthogonalGradient() {
        return true;
    }

    @Override
    public void orthogonalGradient(Tensor params, Tensor grads, Tensor offsets, Tensor trainable) {
        OpShapes.orthogonalGradient(params, grads, offsets, trainable);
        RefOrthogonalGradient.apply(params, grads, offsets, trainable);
    }
}
