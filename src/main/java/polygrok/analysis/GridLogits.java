package polygrok.analysis;

/**
 * The hook through which a trained model feeds the restricted/excluded loss: logits for a batch
 * of operand pairs. The model side knows the task's token format; analysis only asks for numbers.
 */
@FunctionalInterface
public interface GridLogits {
    /**
     * @param pairs [n][2] operand pairs {a, b}, each in 0..p-1
     * @return [n][classes] logits of the answer position, one row per pair (all output classes,
     *     so the loss is the model's own cross-entropy)
     */
    double[][] logits(int[][] pairs);
}
