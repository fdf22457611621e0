package polygrok.analysis;

/**
 * What the restricted/excluded loss needs from the model side for one run of a two-operand task:
 * a {@link GridLogits} for a checkpoint, and the correct class of every grid pair. The model layer
 * supplies an implementation (it knows how to build the network from checkpoint weights and how
 * the task tokenises); {@link RunAnalyzer} skips the loss ablation when it has none.
 */
public interface GridLogitsSource {
    /** The network of this checkpoint as a function of operand pairs. */
    GridLogits at(Checkpoint checkpoint);

    /** [p*p] correct class of pair (a, b) at index a*p + b. */
    int[] labels();
}
