package polygrok.model;

import java.util.Map;
import polygrok.tensor.Tensor;

/**
 * How a forward pass runs.
 *
 * @param lastPositionOnly compute the last block for the last position alone (same logits, less work)
 * @param activations      when not null, receives the recorded activations under the reference files'
 *                         names (act.blocks.l.attn.pattern, .mlp.pre, .resid_post); needs
 *                         lastPositionOnly false to hold every position
 */
public record ForwardOptions(boolean lastPositionOnly, Map<String, Tensor> activations) {
    public static final ForwardOptions FAST = new ForwardOptions(true, null);
    public static final ForwardOptions ALL_POSITIONS = new ForwardOptions(false, null);
}
