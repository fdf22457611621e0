package polygrok.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * JSON that every reader accepts: bare NaN and Infinity are not JSON (Python's json module reads them,
 * most others refuse the whole file), so they are written as null, and the top-level object says
 * which fields they were and what they held under {@value #FIELD}, e.g. {"test_loss": "NaN"}.
 */
public final class FiniteJson {
    public static final String FIELD = "non_finite";

    private FiniteJson() {
    }

    /** {@code e} itself when every number in it is finite, else a copy with those numbers null (and noted). */
    public static JsonElement of(JsonElement e) {
        if (allFinite(e)) {
            return e;
        }
        JsonObject notes = new JsonObject();
        JsonElement copy = replace(e, "", notes);
        if (copy.isJsonObject()) {
            copy.getAsJsonObject().add(FIELD, notes);
        }
        return copy;
    }

    public static JsonObject of(JsonObject o) {
        return of((JsonElement) o).getAsJsonObject();
    }

    private static boolean allFinite(JsonElement e) {
        if (e.isJsonPrimitive()) {
            return !isNonFinite(e.getAsJsonPrimitive());
        }
        if (e.isJsonArray()) {
            for (JsonElement x : e.getAsJsonArray()) {
                if (!allFinite(x)) {
                    return false;
                }
            }
        } else if (e.isJsonObject()) {
            for (var x : e.getAsJsonObject().entrySet()) {
                if (!allFinite(x.getValue())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isNonFinite(JsonPrimitive p) {
        return p.isNumber() && !Double.isFinite(p.getAsDouble());
    }

    private static JsonElement replace(JsonElement e, String path, JsonObject notes) {
        if (e.isJsonPrimitive() && isNonFinite(e.getAsJsonPrimitive())) {
            notes.addProperty(path, Double.toString(e.getAsDouble()));
            return JsonNull.INSTANCE;
        }
        if (e.isJsonArray()) {
            JsonArray a = new JsonArray();
            for (int i = 0; i < e.getAsJsonArray().size(); i++) {
                a.add(replace(e.getAsJsonArray().get(i), path + "[" + i + "]", notes));
            }
            return a;
        }
        if (e.isJsonObject()) {
            JsonObject o = new JsonObject();
            for (var x : e.getAsJsonObject().entrySet()) {
                o.add(x.getKey(), replace(x.getValue(), path.isEmpty() ? x.getKey() : path + "." + x.getKey(), notes));
            }
            return o;
        }
        return e;
    }

    /**
     * The reverse of {@link #of}: the numbers {@value #FIELD} names are put back (NaN, Infinity) and the
     * note removed, for readers that map JSON onto records with primitive fields. Anything else is unchanged.
     */
    public static JsonElement restore(JsonElement e) {
        if (!e.isJsonObject() || !e.getAsJsonObject().has(FIELD) || !e.getAsJsonObject().get(FIELD).isJsonObject()) {
            return e;
        }
        JsonObject o = e.getAsJsonObject().deepCopy();
        JsonObject notes = o.remove(FIELD).getAsJsonObject();
        for (var n : notes.entrySet()) {
            set(o, n.getKey(), new JsonPrimitive(Double.parseDouble(n.getValue().getAsString())));
        }
        return o;
    }

    /** Sets the value at a path written by {@link #replace} ("a.b[2].c"); a path that is not there is left alone. */
    private static void set(JsonElement root, String path, JsonElement value) {
        java.util.List<Object> steps = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)\\]").matcher(path);
        while (m.find()) {
            steps.add(m.group(1) != null ? m.group(1) : Integer.valueOf(m.group(2)));
        }
        JsonElement at = root;
        for (int i = 0; i < steps.size(); i++) {
            Object step = steps.get(i);
            boolean last = i == steps.size() - 1;
            if (step instanceof String key && at.isJsonObject()) {
                if (last) {
                    at.getAsJsonObject().add(key, value);
                    return;
                }
                at = at.getAsJsonObject().get(key);
            } else if (step instanceof Integer index && at.isJsonArray() && index < at.getAsJsonArray().size()) {
                if (last) {
                    at.getAsJsonArray().set(index, value);
                    return;
                }
                at = at.getAsJsonArray().get(index);
            } else {
                return;
            }
            if (at == null) {
                return;
            }
        }
    }
}
