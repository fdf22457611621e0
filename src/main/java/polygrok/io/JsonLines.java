package polygrok.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Metrics files: one JSON object per line, appended as a run goes. Each line is written with one
 * call and flushed, so a crash can at worst leave the last line torn (no newline); reading reports
 * such a line as a warning and skips it. NaN and infinities (a diverged loss) are written as the
 * bare words {@code NaN}, {@code Infinity}, as Python's json module does, and read back.
 */
public final class JsonLines {

    /** One line per object: no pretty printing; NaN allowed; '<' and '=' left as they are. */
    static final Gson LINE_JSON = new GsonBuilder().serializeNulls().serializeSpecialFloatingPointValues().disableHtmlEscaping().create();
    private static final TypeAdapter<JsonElement> JSON_TREE = LINE_JSON.getAdapter(JsonElement.class);
    private static final java.util.Set<String> BARE_WORDS = java.util.Set.of("true", "false", "null", "NaN", "Infinity", "-Infinity");

    private JsonLines() {
    }

    /** The line {@code object} is written as, newline included. */
    static String line(JsonObject object) {
        return LINE_JSON.toJson(FiniteJson.of(object)) + "\n";
    }

    /** Appends {@code object} as one line, creating the file if needed; the line is on disk on return. */
    public static void append(Path file, JsonObject object) throws IOException {
        try (JsonLinesWriter writer = JsonLinesWriter.open(file)) {
            writer.write(object);
        }
    }

    /**
     * All objects of {@code file}; a torn last line is skipped with one line on stderr in polygrok's words
     * (a logger would print two lines in its own format, with a class name, to a user who can do nothing with it).
     */
    public static List<JsonObject> read(Path file) throws IOException {
        return read(file, warning -> System.err.println("polygrok: " + warning));
    }

    /**
     * All objects of {@code file}, in order. Blank lines are skipped. A last line without its newline
     * that does not parse (a write cut short by a crash) goes to {@code warnings} and is skipped; any
     * other line that is not a JSON object is an IOException naming the file and the line number.
     */
    public static List<JsonObject> read(Path file, Consumer<String> warnings) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<JsonObject> out = new ArrayList<>();
        int start = 0;
        int lineNumber = 0;
        while (start < text.length()) {
            int newline = text.indexOf('\n', start);
            boolean terminated = newline >= 0;
            int end = terminated ? newline : text.length();
            int lineStart = start;
            String line = text.substring(start, end).strip();
            lineNumber++;
            start = end + 1;
            if (line.isEmpty()) {
                continue;
            }
            try {
                out.add(parse(line));
            } catch (IOException | JsonParseException | IllegalStateException e) {
                if (!terminated) {
                    warnings.accept(tornLine(file, text.substring(lineStart, end)));
                    break;
                }
                throw new IOException(file + ": line " + lineNumber + " is not a JSON object: " + e.getMessage()
                        + " (line starts: " + abbreviate(line) + ")", e);
            }
        }
        return out;
    }

    /** What a reader is told of a last line without its newline that does not parse: one line, with what to do. */
    static String tornLine(Path file, String fragment) {
        return file + ": the last line is cut off (" + fragment.getBytes(StandardCharsets.UTF_8).length
                + " bytes, e.g. a full disk or a crash while writing); it is ignored, and --resume rewrites it";
    }

    /**
     * One line as a JSON object. Gson reads NaN and Infinity only in its lenient mode, which also
     * takes unquoted strings, comments and single quotes; those are refused first, by a scan of the
     * text outside string literals.
     */
    private static JsonObject parse(String line) throws IOException {
        refuseLenientExtras(line);
        JsonReader reader = new JsonReader(new StringReader(line));
        reader.setStrictness(Strictness.LENIENT);
        JsonElement element = JSON_TREE.read(reader);
        if (reader.peek() != JsonToken.END_DOCUMENT) {
            throw new JsonParseException("text follows the object at " + reader.getPath());
        }
        if (element == null || !element.isJsonObject()) {
            throw new JsonParseException("found " + (element == null ? "nothing" : abbreviate(element.toString())) + " instead of an object");
        }
        return element.getAsJsonObject();
    }

    /** Outside strings, allows only JSON punctuation, numbers, and the words true, false, null, NaN, Infinity. */
    private static void refuseLenientExtras(String line) {
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') {
                i = endOfString(line, i);
            } else if ("{}[]:,".indexOf(c) >= 0 || Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' || c == '+' || c == '.' || Character.isLetterOrDigit(c)) {
                int start = i;
                while (i < line.length() && (line.charAt(i) == '-' || line.charAt(i) == '+' || line.charAt(i) == '.'
                        || Character.isLetterOrDigit(line.charAt(i)))) {
                    i++;
                }
                String word = line.substring(start, i);
                boolean number = Character.isDigit(word.charAt(word.length() - 1)) && word.matches("-?[0-9][0-9.eE+-]*");
                if (!number && !BARE_WORDS.contains(word)) {
                    throw new JsonParseException("unquoted text " + abbreviate(word) + " at column " + (start + 1));
                }
            } else {
                throw new JsonParseException("unexpected character '" + c + "' at column " + (i + 1));
            }
        }
    }

    /** Index just past the string literal opening at {@code open} (or the line's end if it never closes). */
    private static int endOfString(String line, int open) {
        int i = open + 1;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '"') {
                return i + 1;
            } else {
                i++;
            }
        }
        return i;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
