package polygrok.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.Gson;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and checked JSON header of a safetensors file: metadata and one entry per tensor, in
 * header order. Every defect becomes a {@link SafetensorsFormatException} naming the file.
 */
record SafetensorsHeader(Path file, Map<String, String> metadata, List<Entry> entries) {

    /** Reads a JSON tree with the reader's own strictness (JsonParser would relax it). */
    private static final TypeAdapter<JsonElement> JSON_TREE = new Gson().getAdapter(JsonElement.class);

    /** One tensor's header entry; offsets are relative to the start of the data section. */
    record Entry(String name, SafeDType dtype, int[] shape, long begin, long end) {
        long elementCount() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }

    static SafetensorsHeader parse(Path file, ByteBuffer bytes) throws SafetensorsFormatException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsFormatException(file, "header is not valid UTF-8", e);
        }
        JsonObject root = parseObject(file, text);
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonElement> member : root.entrySet()) {
            if (member.getKey().equals(Safetensors.METADATA_KEY)) {
                metadata = parseMetadata(file, member.getValue());
            } else {
                entries.add(parseEntry(file, member.getKey(), member.getValue()));
            }
        }
        return new SafetensorsHeader(file, metadata, entries);
    }

    /**
     * Checks the entries against a data section of {@code dataLength} bytes: each within it and of
     * the size its shape and dtype need, and together tiling it with no gap or overlap.
     */
    void checkLayout(long dataLength) throws SafetensorsFormatException {
        for (Entry e : entries) {
            if (e.end() > dataLength) {
                throw new SafetensorsFormatException(file, "tensor " + e.name() + ": data_offsets [" + e.begin() + ", " + e.end()
                        + "] run past the end of the data section (" + dataLength + " bytes)");
            }
            long expected = e.elementCount() * e.dtype().byteSize();
            long found = e.end() - e.begin();
            if (expected != found) {
                throw new SafetensorsFormatException(file, "tensor " + e.name() + ": shape " + Arrays.toString(e.shape()) + " of "
                        + e.dtype() + " needs " + expected + " bytes but data_offsets [" + e.begin() + ", " + e.end()
                        + "] hold " + found);
            }
        }
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        String previous = null;
        for (Entry e : byOffset) {
            if (e.begin() < covered) {
                throw new SafetensorsFormatException(file, "tensor " + e.name() + ": data_offsets [" + e.begin() + ", " + e.end()
                        + "] overlap tensor " + previous + ", which ends at " + covered);
            }
            if (e.begin() > covered) {
                throw new SafetensorsFormatException(file, "bytes [" + covered + ", " + e.begin() + ") of the data section belong to no tensor"
                        + " (gap before tensor " + e.name() + ")");
            }
            covered = e.end();
            previous = e.name();
        }
        if (covered != dataLength) {
            throw new SafetensorsFormatException(file, "bytes [" + covered + ", " + dataLength + ") of the data section belong to no tensor"
                    + " (the tensors do not cover the data)");
        }
    }

    /** Strict JSON (no comments, unquoted names or trailing text), so a garbled header is caught. */
    private static JsonObject parseObject(Path file, String text) throws SafetensorsFormatException {
        try {
            JsonReader reader = new JsonReader(new StringReader(text));
            reader.setStrictness(Strictness.STRICT);
            JsonElement element = reader.peek() == JsonToken.BEGIN_OBJECT ? readObjectOnce(file, reader, 0) : JSON_TREE.read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new SafetensorsFormatException(file, "header is not JSON: text follows the top-level object at "
                        + reader.getPath());
            }
            if (!element.isJsonObject()) {
                throw new SafetensorsFormatException(file, "header is not a JSON object but " + shortText(element));
            }
            return element.getAsJsonObject();
        } catch (IOException | JsonParseException | IllegalStateException e) {
            if (e instanceof SafetensorsFormatException sfe) {
                throw sfe;
            }
            // Gson's message ends in advice about its own API and a URL: keep what is wrong and where
            String why = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0]
                    .replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "malformed JSON");
            throw new SafetensorsFormatException(file, "header is not JSON: " + why, e);
        }
    }

    /**
     * The header object, refusing a name given twice: Gson would keep the last copy, so the file would
     * be read differently by readers that keep the first. A tensor's entry and the metadata, one level
     * down, are checked the same way.
     */
    private static JsonObject readObjectOnce(Path file, JsonReader reader, int depth) throws IOException {
        JsonObject o = new JsonObject();
        reader.beginObject();
        while (reader.hasNext()) {
            String name = reader.nextName();
            if (o.has(name)) {
                throw new SafetensorsFormatException(file, "header names \"" + name + "\" twice; each tensor and the"
                        + " metadata appear once (a writer that appends instead of replacing made this file)");
            }
            o.add(name, depth == 0 && reader.peek() == JsonToken.BEGIN_OBJECT ? readObjectOnce(file, reader, 1) : JSON_TREE.read(reader));
        }
        reader.endObject();
        return o;
    }

    private static Map<String, String> parseMetadata(Path file, JsonElement value) throws SafetensorsFormatException {
        if (!value.isJsonObject()) {
            throw new SafetensorsFormatException(file, Safetensors.METADATA_KEY + " must be an object of strings, got " + shortText(value));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> m : value.getAsJsonObject().entrySet()) {
            JsonElement v = m.getValue();
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
                throw new SafetensorsFormatException(file, Safetensors.METADATA_KEY + "." + m.getKey() + " must be a string, got "
                        + shortText(v));
            }
            metadata.put(m.getKey(), v.getAsString());
        }
        return metadata;
    }

    private static Entry parseEntry(Path file, String name, JsonElement value) throws SafetensorsFormatException {
        if (name.isEmpty()) {
            throw new SafetensorsFormatException(file, "a tensor has an empty name");
        }
        if (!value.isJsonObject()) {
            throw new SafetensorsFormatException(file, "tensor " + name + ": header entry must be an object with dtype, shape and"
                    + " data_offsets, got " + shortText(value));
        }
        JsonObject o = value.getAsJsonObject();
        JsonElement dtypeField = field(file, name, o, "dtype");
        if (!dtypeField.isJsonPrimitive() || !dtypeField.getAsJsonPrimitive().isString()) {
            throw new SafetensorsFormatException(file, "tensor " + name + ": dtype must be a string, got " + shortText(dtypeField));
        }
        SafeDType dtype = SafeDType.fromHeaderName(dtypeField.getAsString());
        if (dtype == null) {
            throw new SafetensorsFormatException(file, "tensor " + name + ": unknown dtype " + dtypeField.getAsString()
                    + " (polygrok reads " + SafeDType.knownNames() + ")");
        }
        long[] shapeLongs = naturals(file, name, "shape", field(file, name, o, "shape"), -1);
        int[] shape = new int[shapeLongs.length];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            count = Math.multiplyHigh(count, shapeLongs[i]) != 0 ? Long.MAX_VALUE : count * shapeLongs[i];
            if (shapeLongs[i] > Integer.MAX_VALUE || count > Integer.MAX_VALUE - 8) {
                throw new SafetensorsFormatException(file, "tensor " + name + ": shape " + Arrays.toString(shapeLongs)
                        + " has more elements than a Java array holds");
            }
            shape[i] = (int) shapeLongs[i];
        }
        long[] offsets = naturals(file, name, "data_offsets", field(file, name, o, "data_offsets"), 2);
        if (offsets[0] > offsets[1]) {
            throw new SafetensorsFormatException(file, "tensor " + name + ": data_offsets [" + offsets[0] + ", " + offsets[1]
                    + "] end before they begin");
        }
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static JsonElement field(Path file, String name, JsonObject o, String key) throws SafetensorsFormatException {
        JsonElement v = o.get(key);
        if (v == null) {
            throw new SafetensorsFormatException(file, "tensor " + name + ": header entry lacks \"" + key + "\" (has " + o.keySet() + ")");
        }
        return v;
    }

    /** A JSON array of non-negative integers, of {@code length} elements unless that is -1. */
    private static long[] naturals(Path file, String name, String key, JsonElement v, int length) throws SafetensorsFormatException {
        String what = "tensor " + name + ": " + key + " must be an array of " + (length < 0 ? "" : length + " ")
                + "non-negative integers, got " + shortText(v);
        if (!v.isJsonArray()) {
            throw new SafetensorsFormatException(file, what);
        }
        JsonArray a = v.getAsJsonArray();
        if (length >= 0 && a.size() != length) {
            throw new SafetensorsFormatException(file, what);
        }
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement x = a.get(i);
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isNumber()) {
                throw new SafetensorsFormatException(file, what);
            }
            try {
                out[i] = x.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                throw new SafetensorsFormatException(file, what);
            }
            if (out[i] < 0) {
                throw new SafetensorsFormatException(file, what);
            }
        }
        return out;
    }

    private static String shortText(JsonElement e) {
        String s = e.toString();
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
