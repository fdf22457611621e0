package polygrok.train;

import polygrok.autograd.Loss;
import polygrok.backend.Backend;
import polygrok.model.Batch;
import polygrok.model.ForwardOptions;
import polygrok.model.ModelGroup;

/**
 * The seed's full-batch epoch for a group: forward and backward on the whole train set, the test
 * set's forward at eval epochs (same weights), then one AdamW step — handed to
 * {@link Backend#runRepeatable} so a GPU records it once and replays it as one graph.
 */
public final class FullBatchEpoch {
    private final Backend backend;
    private final ModelGroup group;
    private final Batch train, test;
    // set on the first run; the tape arenas hand out the same tensors on every replay
    private Loss trainLoss, testLoss;

    public FullBatchEpoch(ModelGroup group, Batch train, Batch test) {
        this.backend = group.backend();
        this.group = group;
        this.train = train;
        this.test = test;
    }

    /** Runs one epoch; with {@code eval} the test forward too. Nothing is read back to the host. */
    public void run(boolean eval) {
        backend.runRepeatable(eval ? "epoch+eval" : "epoch", () -> {
            trainLoss = group.forwardBackward(train, ForwardOptions.FAST);
            if (eval) {
                testLoss = group.evaluate(test);
                group.recordEvalWeights();
            }
            group.optimizerStep();
        });
    }

    /** The train forward's losses of the last epoch (before its update). */
    public Loss trainLoss() {
        return trainLoss;
    }

    /** The test losses of the last eval epoch. */
    public Loss testLoss() {
        return testLoss;
    }
}
