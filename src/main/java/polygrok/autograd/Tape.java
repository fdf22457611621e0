package polygrok.autograd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import polygrok.backend.Backend;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/**
 * Records what each op's backward needs; {@link #backward()} replays the records in reverse and
 * every backward adds into gradients. Intermediate tensors come from an arena: after
 * {@link #reset()} the same sequence of ops gets the same tensors again, so a training step
 * allocates nothing once warm and touches the same memory every time (which a backend may
 * capture and replay, see {@link Backend#runRepeatable}).
 */
public final class Tape {
    private final Backend backend;
    private final boolean recording;
    private final List<Tensor> arena = new ArrayList<>();
    private final List<Runnable> backwards = new ArrayList<>();
    private int cursor;
    private final Map<String, Tensor> constants = new HashMap<>();

    /** @param recording false for inference: ops skip their backward records and keep fewer tensors */
    public Tape(Backend backend, boolean recording) {
        this.backend = backend;
        this.recording = recording;
    }

    public Backend backend() {
        return backend;
    }

    public boolean recording() {
        return recording;
    }

    /** Starts a new pass: forgets the records and rewinds the arena. */
    public void reset() {
        backwards.clear();
        cursor = 0;
    }

    /** A tensor of this shape from the arena; its contents are whatever the last pass left. */
    Tensor alloc(Shape shape) {
        if (cursor < arena.size() && arena.get(cursor).shape().equals(shape)) {
            return arena.get(cursor++);
        }
        Tensor t = backend.zeros(shape);
        if (cursor < arena.size()) {
            arena.set(cursor, t);
        } else {
            arena.add(t);
        }
        cursor++;
        return t;
    }

    /**
     * An I32 tensor of this shape holding {@code valueAt(i)} at flat index i, made on first use under
     * {@code key} and kept across passes (remade only when the shape changes): an upload is not work a
     * backend can replay, so a warm pass must not make one.
     */
    public Tensor constantInts(String key, Shape shape, IntUnaryOperator valueAt) {
        Tensor kept = constants.get(key);
        if (kept == null || !kept.shape().equals(shape)) {
            int[] values = new int[Math.toIntExact(shape.size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = valueAt.applyAsInt(i);
            }
            kept = backend.ints(shape, values);
            constants.put(key, kept);
        }
        return kept;
    }

    /**
     * An I32 tensor of this shape kept under {@code key} across passes (remade only when the shape
     * changes) and overwritten with {@code values} on every call: per-pass integer inputs derived on the
     * host. The upload is not work a backend can replay, so only backends that do not capture passes use it.
     */
    public Tensor uploadedInts(String key, Shape shape, int[] values) {
        Tensor kept = constants.get(key);
        if (kept == null || !kept.shape().equals(shape)) {
            kept = backend.ints(shape, values);
            constants.put(key, kept);
        } else {
            backend.uploadInts(kept, values);
        }
        return kept;
    }

    /** A fresh intermediate value that will take part in the backward. */
    Var output(Shape shape, boolean requiresGrad) {
        return new Var(alloc(shape), null, requiresGrad && recording);
    }

    /** The gradient of {@code v}, taken from the arena and zeroed on first use. */
    Tensor gradOf(Var v) {
        if (v.grad == null) {
            v.grad = alloc(v.value.shape());
            backend.fill(v.grad, 0);
        }
        return v.grad;
    }

    void record(Runnable backward) {
        if (recording) {
            backwards.add(backward);
        }
    }

    /**
     * Replays the records in reverse from a non-scalar output: its gradient starts as {@code seed}
     * (the gradient of some scalar with respect to it). Used by gradient checks of single ops.
     */
    public void backward(Var output, Tensor seed) {
        backend.copy(seed, gradOf(output));
        backward();
    }

    /** Replays the records in reverse. The loss ops seed their own gradient (d loss / d loss = 1). */
    public void backward() {
        if (!recording) {
            throw new IllegalStateException("backward() on a tape made for inference");
        }
        for (int i = backwards.size() - 1; i >= 0; i--) {
            backwards.get(i).run();
        }
    }
}
