package polygrok.autograd;

import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * A value on the tape and, once something flows back into it, its gradient. Parameters come with
 * their gradient already bound (a view into the gradient block); intermediates get theirs from the
 * tape's arena on first use, zeroed.
 */
public final class Var {
    final Tensor value;
    Tensor grad;
    final boolean requiresGrad;

    Var(Tensor value, Tensor grad, boolean requiresGrad) {
        this.value = value;
        this.grad = grad;
        this.requiresGrad = requiresGrad;
    }

    /** A trainable leaf whose gradient accumulates into {@code grad}. */
    public static Var parameter(Tensor value, Tensor grad) {
        if (!value.shape().equals(grad.shape())) {
            throw new IllegalArgumentException("gradient " + grad.shape() + " does not match parameter " + value.shape());
        }
        return new Var(value, grad, true);
    }

    /** A leaf that receives no gradient (a frozen parameter or an input). */
    public static Var constant(Tensor value) {
        return new Var(value, null, false);
    }

    public Tensor value() {
        return value;
    }

    /** The gradient, or null when none has been bound or accumulated. */
    public Tensor grad() {
        return grad;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    public Shape shape() {
        return value.shape();
    }
}
