package polygrok.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading the small JSON files of a run directory (config.json, summary.json, sweep.json). */
public final class JsonFiles {
    private JsonFiles() {
    }

    /**
     * The file's top-level object; null when the file does not exist or holds something other than an
     * object. A file that cannot be read or is not JSON is an error naming the file.
     */
    public static JsonObject readObjectIfPresent(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonElement e = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            return e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (JsonParseException e) {
            // Gson's message leads with the JDK exception's class name ("java.io.EOFException: End of input ...")
            String why = e.getMessage() == null ? "" : e.getMessage().replaceFirst("^[a-z]+(\\.[a-z]+)+\\.[A-Za-z]+(Exception|Error): ", "");
            throw new IllegalArgumentException(file + " is not valid JSON: " + why.split("\n")[0]
                    + "; repair or remove it (a run writes it whole, so a torn file was edited or copied in part)", e);
        }
    }
}
