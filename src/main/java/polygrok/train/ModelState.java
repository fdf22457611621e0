package polygrok.train;

import java.util.LinkedHashMap;
import java.util.Map;
import polygrok.model.ModelGroup;

/**
 * The trainable state of one model, on the host: parameters and AdamW moments by name, and how far
 * training has gone; with a gradient filter, its state by name (all its slots, slot after slot) and
 * how many times it has run. What a checkpoint holds.
 */
public record ModelState(int epoch, long step, double wallSeconds, Map<String, double[]> params,
                         Map<String, double[]> moment1, Map<String, double[]> moment2,
                         Map<String, double[]> filter, long filterCount) {

    public ModelState(int epoch, long step, double wallSeconds, Map<String, double[]> params,
                      Map<String, double[]> moment1, Map<String, double[]> moment2) {
        this(epoch, step, wallSeconds, params, moment1, moment2, Map.of(), -1);
    }

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
        if (group.filter() == null) {
            return new ModelState(epoch, step, wallSeconds, params, first, second);
        }
        int slots = group.filter().stateSlots();
        double[] fs = be.toDoubles(group.filterState());
        Map<String, double[]> filter = new LinkedHashMap<>();
        for (var s : layout.specs()) {
            double[] v = new double[slots * (int) s.size()];
            for (int k = 0; k < slots; k++) {
                int from = Math.toIntExact(((long) m * slots + k) * total + s.offset());
                System.arraycopy(fs, from, v, k * (int) s.size(), (int) s.size());
            }
            filter.put(s.name(), v);
        }
        long count = (long) be.toDoubles(group.filterCount())[m];
        return new ModelState(epoch, step, wallSeconds, params, first, second, filter, count);
    }

    /** Writes these values into model {@code m} of a group (all models' blocks are read, patched, re-uploaded). */
    public static void restore(ModelGroup group, int m, ModelState state) {
        patch(group, group.params().block(), m, state.params());
        patch(group, group.moment1().block(), m, state.moment1());
        patch(group, group.moment2().block(), m, state.moment2());
        double[] steps = group.backend().toDoubles(group.steps());
        steps[m] = state.step();
        group.backend().upload(group.steps(), steps);
        if (group.filter() != null) {
            if (state.filterCount() < 0) {
                throw new IllegalArgumentException("the checkpoint holds no gradient filter state, but this run filters its"
                        + " gradients (optimizer.grad_filter); resume it without the filter, or start a new run");
            }
            var be = group.backend();
            var layout = group.model().layout();
            int slots = group.filter().stateSlots();
            long total = layout.total();
            double[] fs = be.toDoubles(group.filterState());
            state.filter().forEach((name, v) -> {
                var s = layout.spec(name);
                for (int k = 0; k < slots; k++) {
                    System.arraycopy(v, k * (int) s.size(), fs, Math.toIntExact(((long) m * slots + k) * total + s.offset()), (int) s.size());
                }
            });
            be.upload(group.filterState(), fs);
            double[] counts = be.toDoubles(group.filterCount());
            counts[m] = state.filterCount();
            be.upload(group.filterCount(), counts);
        }
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
