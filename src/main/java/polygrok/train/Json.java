package polygrok.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import polygrok.io.FiniteJson;

/**
 * How the trainer writes JSON: no HTML escaping, and never a bare NaN or Infinity (written as null,
 * with the field named under "non_finite", see {@link FiniteJson}).
 */
final class Json {
    private static final Gson PRETTY_GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();
    private static final Gson COMPACT_GSON = new GsonBuilder().serializeNulls().serializeSpecialFloatingPointValues().disableHtmlEscaping().create();

    private Json() {
    }

    static String pretty(JsonElement e) {
        return PRETTY_GSON.toJson(FiniteJson.of(e));
    }

    static String compact(JsonElement e) {
        return COMPACT_GSON.toJson(FiniteJson.of(e));
    }
}
