package polygrok.backend;

import java.util.Arrays;
import polygrok.tensor.Tensor;

/**
 * The checks {@link OpShapes} is written in: each fails with an IllegalArgumentException that names the
 * op, the tensor, its shape and what was expected. On a GPU a wrong shape is not an exception but an
 * out-of-bounds access that can take the whole context down, so every op checks what it will index.
 */
final class ShapeCheck {
    private ShapeCheck() {
    }

    /** Fails unless {@code t} has exactly {@code dims} (model axis included). */
    static void require(String op, String name, Tensor t, int... dims) {
        if (!Arrays.equals(t.shape().dims(), dims)) {
            throw new IllegalArgumentException(op + ": " + name + " has shape " + t.shape() + ", expected "
                    + Arrays.toString(dims));
        }
    }

    /** Fails unless {@code t} has {@code rank} axes (model axis included), for kernels that read its axes one by one. */
    static void requireRank(String op, String name, Tensor t, int rank) {
        if (t.shape().rank() != rank) {
            throw new IllegalArgumentException(op + ": " + name + " has shape " + t.shape() + ", expected " + rank + " axes");
        }
    }

    /** Fails unless {@code t} holds {@code models} x {@code perModel} elements (any shape). */
    static void requireSize(String op, String name, Tensor t, int models, long perModel) {
        if (t.models() != models || t.perModel() != perModel) {
            throw new IllegalArgumentException(op + ": " + name + " " + t.shape() + " must hold " + models + " models of "
                    + perModel + " elements");
        }
    }
}
