package polygrok.train;

import java.util.Locale;
import polygrok.model.ModelSpec;

/**
 * The memory a group needs on a CPU backend, estimated before anything is allocated, so that a model
 * or data set too big for this JVM is refused with the sizes that make it big instead of an
 * OutOfMemoryError minutes later. Generous rather than exact: parameters, gradients, two AdamW
 * moments and the eval copy, plus each example's activations (residual stream, queries, keys,
 * values, attention scores and MLP hidden units per position and layer, kept for the backward).
 */
final class MemoryCheck {
    private MemoryCheck() {
    }

    /** @param filterSlots values of gradient-filter state per parameter (the moving average's window; 0 without a filter) */
    static long estimateBytes(ModelSpec s, long parameters, int models, long trainExamples, long testExamples, int bytesPerValue,
                              int filterSlots) {
        long perPosition = 6L * s.dModel() + 2L * s.dMlp() + (long) s.numHeads() * s.nCtx();
        long activations = (trainExamples + testExamples) * s.nCtx() * perPosition * Math.max(1, s.numLayers())
                + (trainExamples + testExamples) * (long) s.vocab() * 3;
        return (long) models * bytesPerValue * ((5L + filterSlots) * parameters + activations);
    }

    /** Refuses, naming the sizes, when the estimate passes what this JVM may allocate. */
    static void check(ModelSpec s, long parameters, int models, long trainExamples, long testExamples, int bytesPerValue,
                      int filterSlots, long available) {
        long need = estimateBytes(s, parameters, models, trainExamples, testExamples, bytesPerValue, filterSlots);
        if (need > available) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "this run needs about %.1f GiB (%d model(s) of %,d parameters: d_model %d, d_mlp %d, num_layers %d, a vocabulary"
                            + " of %,d tokens from p, the 5 symbols and n_mask; %,d train and %,d test examples from p and the operand"
                            + " range%s) but this JVM may use %.1f GiB; make the model, p, n_mask or the group (--models-per-launch)"
                            + " smaller, or give Java more memory (java -Xmx...)",
                    need / 1073741824.0, models, parameters, s.dModel(), s.dMlp(), s.numLayers(), s.vocab(), trainExamples, testExamples,
                    filterSlots > 1 ? "; the grad_filter window keeps " + filterSlots + " gradients of every parameter" : "",
                    available / 1073741824.0));
        }
    }
}
