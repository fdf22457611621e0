package polygrok.train;

import polygrok.model.ModelSpec;

/**
 * The matrix-product FLOPs of one training epoch (full-batch or minibatch: every train example goes
 * forward and backward once, then every test example forward), for any model polygrok trains. A
 * multiply-add counts as 2 FLOPs; the backward costs twice the forward (dX and dW of every product).
 * What is not a matrix product (activations, LayerNorm, softmax, the loss, AdamW) is left out, as
 * bench/README.md derives.
 */
public sealed interface EpochFlopCount permits EpochFlops, MlpEpochFlops {
    int nTrain();

    int nTest();

    /** Forward FLOPs of one example through the whole model. */
    long forwardPerExample();

    /** Train set: forward + backward (twice the forward). */
    default long trainFlops() {
        return 3L * nTrain() * forwardPerExample();
    }

    /** Test set: forward only. */
    default long testFlops() {
        return (long) nTest() * forwardPerExample();
    }

    /** The whole epoch. */
    default long total() {
        return trainFlops() + testFlops();
    }

    /** The whole epoch in GFLOP (1e9). */
    default double gflop() {
        return total() / 1e9;
    }

    /** The count for {@code spec}'s model type; a transformer's final block is counted for the last position only. */
    static EpochFlopCount of(ModelSpec spec, int nTrain, int nTest) {
        return switch (spec.type()) {
            case TRANSFORMER -> new EpochFlops(nTrain, nTest, spec.nCtx(), spec.dModel(), spec.numHeads(), spec.dHead(), spec.dMlp(),
                    spec.numLayers(), spec.vocab(), true);
            case MLP -> new MlpEpochFlops(nTrain, nTest, spec.nCtx(), spec.dEmb(), spec.dModel(), spec.numLayers(), spec.vocab(),
                    spec.oneHotInput());
        };
    }
}
