package polygrok.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trainable state of one model, on the host: parameters and AdamW moments by name, and how far
 * training has gone. What a checkpoint holds.
 */
public record ModelState(int epoch, long step, double wallSeconds, Map<String, double[]> params,
                         Map<String, double[]> moment1, Map<String, double[]> moment2) {

    /** Reads model {@code m} of a group. */
    public static ModelState of(ModelGroup group, int m, int epoch, double wallSeconds) {
        var be = group.backend();
        var layout = group.model().layout();
        double[] p = be.toDoubles(group.params().block()), m1 = be.toDoubles(group.moment1().block()),
                m2 = be.toDoubles(group.moment2().block());
        long total = layout.total();
        Map<String, double[]> params = new LinkedHashMap<>(), first = new LinkedHashMap<>(), second = new LinkedHashMap<>();
        for (var s : layout.specs()) {
            int from = Math.toIntExact(m * total + s.offset()), to = Math.toIntExact(from + s.size());
            params.put(s.name(), java.util.Arrays.copyOfRange(p, from, to));
            first.put(s.name(), java.util.Arrays.copyOfRange(m1, from, to));
            second.put(s.name(), java.util.Arrays.copyOfRange(m2, from, to));
        }
        long step = (long) be.toDoubles(group.steps())[m];
        return new ModelState(epoch, step, wallSeconds, params, first, second);
    }

    /** Writes these values into model {@code m} of a group (all models' blocks are read, patched, re-uploaded). */
    public static void restore(ModelGroup group, int m, ModelState state) {
        patch(group, group.params().block(), m, state.params());
        patch(group, group.moment1().block(), m, state.moment1());
        patch(group, group.moment2().block(), m, state.moment2());
        double[] steps = group.backend().toDoubles(group.steps());
        steps[m] = state.step();
        group.backend().upload(group.steps(), steps);
    }

    /** Overwrites the named parameters of model m (others keep their values). */
    public static void patch(ModelGroup group, polygrok.tensor.Tensor block, int m, Map<String, double[]> values) {
        var be = group.backend();
        var layout = group.model().layout();
        double[] all = be.toDoubles(block);
        long total = layout.total();
        values.forEach((name, v) -> {
            var s = layout.spec(name);
            if (v.length != s.size()) {
                throw new IllegalArgumentException(name + " has " + v.length + " values, the model needs " + s.size()
                        + " (shape " + s.shape() + ")");
            }
            System.arraycopy(v, 0, all, Math.toIntExact(m * total + s.offset()), v.length);
        });
        be.upload(block, all);
    }
}
