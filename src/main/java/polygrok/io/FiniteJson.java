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
}
