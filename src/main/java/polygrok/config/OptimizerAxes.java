package polygrok.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A sweep's optimizer axes beyond lr and weight decay: {@code optimizer_type} (["adamw", "adam"]),
 * {@code warmup_steps} ([0, 10]) and {@code orthogonal} ([false, true]). Each declared axis
 * multiplies the points, innermost after the gradient filter, and adds its piece to every name:
 * "opt-adam", "wu10", "orth-on" / "orth-off". An axis left out (null) keeps the base's value.
 */
public record OptimizerAxes(List<String> types, List<Integer> warmupSteps, List<Boolean> orthogonal) {
    public OptimizerAxes {
        types = SweepConfig.copyAxis("axes.optimizer_type", types);
        warmupSteps = SweepConfig.copyAxis("axes.warmup_steps", warmupSteps);
        orthogonal = SweepConfig.copyAxis("axes.orthogonal", orthogonal);
        OptimizerConfig d = OptimizerConfig.defaults();
        for (int i = 0; types != null && i < types.size(); i++) {
            try {
                d.withType(types.get(i));
            } catch (ConfigException e) {
                throw new ConfigException("axes.optimizer_type[" + i + "]", e.getMessage());
            }
        }
        for (int i = 0; warmupSteps != null && i < warmupSteps.size(); i++) {
            if (warmupSteps.get(i) < 0) {
                throw new ConfigException("axes.warmup_steps[" + i + "]", warmupSteps.get(i) + " must be >= 0 (0: no warm-up)");
            }
        }
    }

    /** Reads the three axes from a sweep's "axes" object (each may be absent); null when none is there. */
    static OptimizerAxes read(JsonFields axes, com.google.gson.JsonObject raw) {
        List<String> types = axes.strings("optimizer_type", null);
        List<Long> steps = axes.longs("warmup_steps", null);
        List<Boolean> orth = axes.present("orthogonal") ? booleans(raw.get("orthogonal")) : null;
        if (types == null && steps == null && orth == null) {
            return null;
        }
        List<Integer> warmups = null;
        if (steps != null) {
            warmups = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i) < 0 || steps.get(i) > Integer.MAX_VALUE) {
                    throw new ConfigException("warmup_steps[" + i + "]", steps.get(i) + " must be an integer >= 0 (0: no warm-up)");
                }
                warmups.add(steps.get(i).intValue());
            }
        }
        return new OptimizerAxes(types, warmups, orth);
    }

    /** Each point once per combination of the declared axes, its name and config extended. */
    List<SweepPoint> expand(List<SweepPoint> points) {
        List<SweepPoint> out = points;
        out = multiply(out, types, t -> "opt-" + t, (o, t) -> o.withType(t));
        out = multiply(out, warmupSteps, n -> "wu" + n, (o, n) -> o.withWarmupSteps(n));
        out = multiply(out, orthogonal, on -> on ? "orth-on" : "orth-off", (o, on) -> o.withOrthogonal(on));
        return out;
    }

    private static <T> List<SweepPoint> multiply(List<SweepPoint> points, List<T> axis, Function<T, String> piece,
                                                 java.util.function.BiFunction<OptimizerConfig, T, OptimizerConfig> apply) {
        if (axis == null) {
            return points;
        }
        List<SweepPoint> out = new ArrayList<>();
        for (SweepPoint p : points) {
            for (T v : axis) {
                String n = p.name() + "_" + piece.apply(v);
                out.add(new SweepPoint(n, p.config().withName(n).withOptimizer(apply.apply(p.config().optimizer(), v))));
            }
        }
        return out;
    }

    private static List<Boolean> booleans(JsonElement e) {
        if (e == null || !e.isJsonArray()) {
            throw new ConfigException("orthogonal", e + " is not a JSON array of true/false, e.g. [false, true]");
        }
        JsonArray a = e.getAsJsonArray();
        List<Boolean> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            JsonElement x = a.get(i);
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isBoolean()) {
                throw new ConfigException("orthogonal[" + i + "]", x + " is not true or false");
            }
            out.add(x.getAsBoolean());
        }
        return out;
    }
}
