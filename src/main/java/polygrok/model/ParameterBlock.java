package polygrok.model;

import polygrok.backend.Backend;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * One [M, P] tensor holding every parameter of M models (each model's P values contiguous), with
 * named views [M, ...shape] into it. Gradients and optimizer moments use the same layout, so one
 * kernel can update all parameters of all models.
 */
public final class ParameterBlock {
    private final ParameterLayout layout;
    private final Tensor block;

    public ParameterBlock(Backend backend, ParameterLayout layout, int models) {
        this.layout = layout;
        this.block = backend.zeros(Shape.of(models, Math.toIntExact(layout.total())));
    }

    public ParameterLayout layout() {
        return layout;
    }

    /** The whole [M, P] block. */
    public Tensor block() {
        return block;
    }

    public int models() {
        return block.models();
    }

    /** The [M, ...shape] view of one named parameter. */
    public Tensor view(String name) {
        ParameterSpec s = layout.spec(name);
        return new Tensor(block.storage(), block.offset() + s.offset(), s.shape().withModelAxis(block.models()),
                block.modelStride());
    }
}
