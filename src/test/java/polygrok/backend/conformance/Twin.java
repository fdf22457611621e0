package polygrok.backend.conformance;

import polygrok.tensor.Tensor;

/**
 * One tensor held twice: on the float64 reference and on the backend under test, with the same
 * layout and the same starting values. {@code block} is the parameter block a view was cut from,
 * or null for a packed tensor of its own.
 */
public record Twin(Tensor ref, Tensor got, Block block) {
    public Twin(Tensor ref, Tensor got) {
        this(ref, got, null);
    }
}
