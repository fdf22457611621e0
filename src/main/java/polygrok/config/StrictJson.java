package polygrok.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.internal.LazilyParsedNumber;
import com.google.gson.stream.JsonReader;
import java.io.IOException;

/**
 * Reads a JSON tree from a strict reader, refusing what Gson's tree reader lets through silently: a key
 * given twice in one object (Gson keeps the last, so a config would train something other than what
 * its author reads first), and nesting deeper than any config needs.
 */
final class StrictJson {
    static final int MAX_DEPTH = 32;

    private StrictJson() {
    }

    static JsonElement read(JsonReader r) throws IOException {
        return read(r, "", 0);
    }

    private static JsonElement read(JsonReader r, String path, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new ConfigException(path, "nests deeper than " + MAX_DEPTH + " levels; a config is a few levels deep");
        }
        switch (r.peek()) {
            case BEGIN_OBJECT -> {
                JsonObject o = new JsonObject();
                r.beginObject();
                while (r.hasNext()) {
                    String key = r.nextName();
                    String at = path.isEmpty() ? key : path + "." + key;
                    if (o.has(key)) {
                        throw new ConfigException(at, "appears twice in the same object; give each field once");
                    }
                    o.add(key, read(r, at, depth + 1));
                }
                r.endObject();
                return o;
            }
            case BEGIN_ARRAY -> {
                JsonArray a = new JsonArray();
                r.beginArray();
                for (int i = 0; r.hasNext(); i++) {
                    a.add(read(r, path + "[" + i + "]", depth + 1));
                }
                r.endArray();
                return a;
            }
            case STRING -> {
                return new JsonPrimitive(r.nextString());
            }
            case NUMBER -> {
                return new JsonPrimitive(new LazilyParsedNumber(r.nextString()));
            }
            case BOOLEAN -> {
                return new JsonPrimitive(r.nextBoolean());
            }
            case NULL -> {
                r.nextNull();
                return JsonNull.INSTANCE;
            }
            default -> throw new IllegalStateException("unexpected " + r.peek() + " " + r);
        }
    }
}
