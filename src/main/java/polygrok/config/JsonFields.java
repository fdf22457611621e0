package polygrok.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Typed, path-aware reads from one JSON object. Every key read is remembered, so that
 * {@link #rejectUnknown()} can refuse keys nobody asked for and suggest the nearest known one.
 * Errors are {@link ConfigException}s whose path is relative to this object.
 */
final class JsonFields {
    private final JsonObject object;
    private final Set<String> known = new LinkedHashSet<>();

    JsonFields(JsonObject object) {
        this.object = object;
    }

    static JsonFields of(JsonElement element, String what) {
        if (element == null || !element.isJsonObject()) {
            throw new ConfigException("", what + " must be a JSON object {...}, got " + element);
        }
        return new JsonFields(element.getAsJsonObject());
    }

    /**
     * The value of {@code key}, or null when it is absent. An explicit JSON null is refused: it would
     * otherwise silently mean the default, which a reader of the file cannot tell. Fields where null
     * has a documented meaning (none, never, full batch) are read through the nullable methods.
     */
    private JsonElement get(String key) {
        known.add(key);
        JsonElement e = object.get(key);
        if (e != null && e.isJsonNull()) {
            throw new ConfigException(key, "is null, which means nothing here; leave the field out to use its default");
        }
        return e;
    }

    /** True if the key is present as JSON null (for the fields where null means none or never). */
    private boolean explicitNull(String key) {
        known.add(key);
        JsonElement e = object.get(key);
        return e != null && e.isJsonNull();
    }

    /** True if the key is present, even as null. */
    boolean present(String key) {
        known.add(key);
        return object.has(key);
    }

    String string(String key, String fallback) {
        JsonElement e = get(key);
        if (e == null) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new ConfigException(key, e + " is not a string");
        }
        return e.getAsString();
    }

    boolean bool(String key, boolean fallback) {
        JsonElement e = get(key);
        if (e == null) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new ConfigException(key, e + " is not true or false");
        }
        return e.getAsBoolean();
    }

    double number(String key, double fallback) {
        JsonElement e = get(key);
        return e == null ? fallback : asNumber(key, e);
    }

    Double nullableNumber(String key, Double fallback) {
        if (explicitNull(key)) {
            return null;
        }
        JsonElement e = get(key);
        return e == null ? fallback : Double.valueOf(asNumber(key, e));
    }

    int integer(String key, int fallback) {
        JsonElement e = get(key);
        return e == null ? fallback : (int) asInteger(key, e, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    Integer nullableInteger(String key, Integer fallback) {
        if (explicitNull(key)) {
            return null;
        }
        JsonElement e = get(key);
        return e == null ? fallback : Integer.valueOf((int) asInteger(key, e, Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    List<String> strings(String key, List<String> fallback) {
        JsonElement e = get(key);
        if (e == null) {
            return fallback;
        }
        JsonArray a = array(key, e);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            JsonElement x = a.get(i);
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isString()) {
                throw new ConfigException(key + "[" + i + "]", x + " is not a string");
            }
            out.add(x.getAsString());
        }
        return out;
    }

    List<Long> longs(String key, List<Long> fallback) {
        JsonElement e = get(key);
        if (e == null) {
            return fallback;
        }
        JsonArray a = array(key, e);
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            out.add(asInteger(key + "[" + i + "]", a.get(i), Long.MIN_VALUE, Long.MAX_VALUE));
        }
        return out;
    }

    List<Double> numbers(String key, List<Double> fallback) {
        JsonElement e = get(key);
        if (e == null) {
            return fallback;
        }
        JsonArray a = array(key, e);
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            out.add(asNumber(key + "[" + i + "]", a.get(i)));
        }
        return out;
    }

    /** A string where null has a meaning (none): null if absent or null. */
    String nullableString(String key) {
        return explicitNull(key) ? null : string(key, null);
    }

    /** A nested object where null has a meaning (none): null if absent or null. */
    JsonFields nullableObject(String key) {
        return explicitNull(key) ? null : object(key);
    }

    /** A nested object, or null if absent; an explicit null is refused. */
    JsonFields object(String key) {
        JsonElement e = get(key);
        if (e == null) {
            return null;
        }
        if (!e.isJsonObject()) {
            throw new ConfigException(key, e + " is not a JSON object {...}");
        }
        return new JsonFields(e.getAsJsonObject());
    }

    /** Refuses keys that were never read, suggesting the nearest known name. */
    void rejectUnknown() {
        for (String key : object.keySet()) {
            if (!known.contains(key)) {
                String near = Names.nearest(key, known);
                throw new ConfigException(key, "unknown field" + (near == null ? "" : " (did you mean \"" + near + "\"?)")
                        + "; known fields here: " + String.join(", ", known));
            }
        }
    }

    private static JsonArray array(String key, JsonElement e) {
        if (!e.isJsonArray()) {
            throw new ConfigException(key, e + " is not a JSON array [...]");
        }
        return e.getAsJsonArray();
    }

    private static double asNumber(String key, JsonElement e) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new ConfigException(key, e + " is not a number");
        }
        return e.getAsDouble();
    }

    private static long asInteger(String key, JsonElement e, long min, long max) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new ConfigException(key, e + " is not an integer");
        }
        JsonPrimitive prim = e.getAsJsonPrimitive();
        BigDecimal value;
        try {
            value = new BigDecimal(prim.getAsString());
        } catch (NumberFormatException ex) {
            throw new ConfigException(key, e + " is not an integer");
        }
        if (value.stripTrailingZeros().scale() > 0) {
            throw new ConfigException(key, e + " is not an integer");
        }
        if (value.compareTo(BigDecimal.valueOf(min)) < 0 || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new ConfigException(key, e + " is out of range " + min + ".." + max);
        }
        return value.longValueExact();
    }
}
