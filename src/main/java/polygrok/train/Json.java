package polygrok.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** The Gson instances the trainer writes with: NaN and infinities allowed, no HTML escaping. */
final class Json {
    static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().serializeNulls().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();
    static final Gson COMPACT = new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping().create();

    private Json() {
    }
}
