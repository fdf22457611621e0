package polygrok.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whether a run may continue under a config that differs from the one it started with. Fields that
 * change what the next epochs compute (data, model, optimizer, seed, init...) would leave the
 * checkpoints and config.json disagreeing, so they are refused; fields that only say how long to
 * train, when to stop, or what to log are allowed and recorded.
 */
final class ResumeCheck {
    /** Top-level fields a resume may change: the budget, stop conditions, intervals, and where it runs. */
    static final Set<String> MAY_CHANGE = Set.of("epochs", "stop_test_loss", "stop_test_acc", "eval_every", "checkpoint_every",
            "checkpoint_minutes", "fourier_every", "backend");
    /** Informational: what the run was started from, not what it computes. */
    static final String PROVENANCE = "provenance";

    /** One field that differs: its JSON path and both values. */
    record Change(String field, JsonElement before, JsonElement now) {
        String describe() {
            return field + " " + before + " -> " + now;
        }
    }

    private ResumeCheck() {
    }

    /**
     * A recorded config as this version writes it: fields added since it was written take their
     * defaults (which is what the run computed with), so they do not read as changes. A config this
     * version cannot read is compared as it is.
     */
    static JsonObject withDefaults(JsonObject recorded) {
        try {
            JsonObject copy = recorded.deepCopy();
            JsonElement provenance = copy.remove(PROVENANCE);
            JsonObject normal = com.google.gson.JsonParser.parseString(polygrok.config.ConfigLoader.toJson(
                    polygrok.config.ConfigLoader.parse(copy.toString(), "config.json"))).getAsJsonObject();
            if (provenance != null) {
                normal.add(PROVENANCE, provenance);
            }
            return normal;
        } catch (RuntimeException e) {
            return recorded;
        }
    }

    /** Every field that differs between the run's recorded config and the new one, nested objects by key. */
    static List<Change> changes(JsonObject before, JsonObject now) {
        List<Change> out = new ArrayList<>();
        diff("", before, now, out);
        return out;
    }

    /** Of those, the ones that change the computation. */
    static List<Change> forbidden(List<Change> changes) {
        return changes.stream().filter(c -> !MAY_CHANGE.contains(c.field().split("\\.", 2)[0])).toList();
    }

    private static void diff(String prefix, JsonObject a, JsonObject b, List<Change> out) {
        Set<String> keys = new java.util.TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            if (prefix.isEmpty() && k.equals(PROVENANCE)) {
                continue;
            }
            JsonElement x = a.get(k), y = b.get(k);
            x = x == null ? com.google.gson.JsonNull.INSTANCE : x;
            y = y == null ? com.google.gson.JsonNull.INSTANCE : y;
            if (x.isJsonObject() && y.isJsonObject()) {
                diff(prefix + k + ".", x.getAsJsonObject(), y.getAsJsonObject(), out);
            } else if (!x.equals(y)) {
                out.add(new Change(prefix + k, x, y));
            }
        }
    }
}
