package polygrok.train;

import java.util.List;
import polygrok.backend.Backend;
import polygrok.model.Batch;
import polygrok.tensor.Shape;
import polygrok.tensor.Tensor;

/** Stacks the example sets of M runs along the model axis into backend tensors. */
public final class GroupBatches {
    private GroupBatches() {
    }

    /** The whole sets as one batch (full-batch training, evaluation). All sets must have the same size. */
    public static Batch full(Backend backend, List<ExampleSet> sets) {
        ExampleSet first = sets.get(0);
        int m = sets.size(), b = first.count(), t = first.nCtx();
        int[] tokens = new int[m * b * t], labels = new int[m * b];
        double[] weights = new double[m * b];
        for (int i = 0; i < m; i++) {
            ExampleSet s = sets.get(i);
            if (s.count() != b || s.nCtx() != t) {
                throw new IllegalArgumentException("runs trained together need the same number of examples and context: "
                        + b + "x" + t + " vs " + s.count() + "x" + s.nCtx());
            }
            System.arraycopy(s.tokens(), 0, tokens, i * b * t, b * t);
            System.arraycopy(s.labels(), 0, labels, i * b, b);
            System.arraycopy(s.taskMeanWeights(), 0, weights, i * b, b);
        }
        Tensor w = backend.zeros(Shape.of(m, b));
        backend.upload(w, weights);
        return new Batch(backend.ints(Shape.of(m, b, t), tokens), backend.ints(Shape.of(m, b), labels), w);
    }

    /**
     * Host arrays of one minibatch per model, ready for {@link #upload}: examples order[start..start+size)
     * of each model's permutation; rows past the end are padding with weight 0. Weights make the loss the
     * sum of per-task means over the examples present.
     */
    public static HostBatch slice(List<ExampleSet> sets, List<int[]> orders, int start, int size) {
        int m = sets.size(), t = sets.get(0).nCtx();
        HostBatch hb = new HostBatch(new int[m * size * t], new int[m * size], new double[m * size]);
        for (int i = 0; i < m; i++) {
            ExampleSet s = sets.get(i);
            int[] order = orders.get(i);
            int end = Math.min(order.length, start + size);
            int[] perTask = new int[s.taskCount()];
            for (int r = start; r < end; r++) {
                perTask[s.tasks()[order[r]]]++;
            }
            for (int r = start; r < end; r++) {
                int e = order[r], row = i * size + (r - start);
                System.arraycopy(s.tokens(), e * t, hb.tokens(), row * t, t);
                hb.labels()[row] = s.labels()[e];
                hb.weights()[row] = 1.0 / perTask[s.tasks()[e]];
            }
        }
        return hb;
    }

    /** One minibatch on the host. */
    public record HostBatch(int[] tokens, int[] labels, double[] weights) {
    }

    /** Tensors for minibatches of {@code size} rows per model, filled by {@link #upload}. */
    public static Batch allocate(Backend backend, int models, int size, int nCtx) {
        return new Batch(backend.ints(Shape.of(models, size, nCtx), new int[models * size * nCtx]),
                backend.ints(Shape.of(models, size), new int[models * size]), backend.zeros(Shape.of(models, size)));
    }

    /** Copies a host minibatch into the batch tensors (outside any recorded step). */
    public static void upload(Backend backend, Batch batch, HostBatch hb) {
        backend.uploadInts(batch.tokens(), hb.tokens());
        backend.uploadInts(batch.labels(), hb.labels());
        backend.upload(batch.weights(), hb.weights());
    }
}
