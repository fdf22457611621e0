package polygrok.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesTest {

    @TempDir
    Path dir;

    private static JsonObject metrics(int epoch, double loss) {
        JsonObject o = new JsonObject();
        o.addProperty("epoch", epoch);
        o.addProperty("train_loss", loss);
        o.addProperty("op", "x<y & a=b");
        return o;
    }

    @Test
    void appendedObjectsReadBackInOrderOnePerLine() throws IOException {
        Path file = dir.resolve("runs/r1/metrics.jsonl");
        JsonLines.append(file, metrics(0, 4.6));
        try (JsonLinesWriter w = JsonLinesWriter.open(file)) {
            w.write(metrics(10, 1.25));
            // each line is in the file as soon as write returns, before close
            assertEquals(2, Files.readAllLines(file).size(), "lines visible while the writer is open");
            w.write(metrics(20, Double.NaN));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size(), "one line per object: " + lines);
        assertEquals("{\"epoch\":0,\"train_loss\":4.6,\"op\":\"x<y & a=b\"}", lines.get(0), "line 1 as written");
        List<JsonObject> back = JsonLines.read(file, w -> { throw new AssertionError("no warning expected: " + w); });
        assertEquals(List.of(metrics(0, 4.6), metrics(10, 1.25)), back.subList(0, 2), "objects 1 and 2");
        assertTrue(back.get(2).get("train_loss").isJsonNull(), "a NaN loss is written as null, which every JSON reader takes: " + back.get(2));
        assertEquals("NaN", back.get(2).getAsJsonObject("non_finite").get("train_loss").getAsString(), "and the line says what it was");
        assertTrue(lines.get(2).contains("\"train_loss\":null"), lines.get(2));
    }

    @Test
    void aTornLastLineIsSkippedWithAWarning() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        JsonLines.append(file, metrics(0, 1));
        JsonLines.append(file, metrics(1, 2));
        Files.writeString(file, "{\"epoch\":2,\"train_lo", StandardOpenOption.APPEND);
        List<String> warnings = new ArrayList<>();
        List<JsonObject> back = JsonLines.read(file, warnings::add);
        assertEquals(List.of(metrics(0, 1), metrics(1, 2)), back, "the two whole lines");
        assertEquals(1, warnings.size(), "one warning: " + warnings);
        assertTrue(warnings.get(0).contains(file.toString()) && warnings.get(0).contains("the last line is cut off (20 bytes"), warnings.get(0));
    }

    @Test
    void aMalformedCompleteLineIsAnErrorNamingFileAndLine() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        Files.writeString(file, "{\"epoch\":0}\n\n{\"epoch\": oops}\n{\"epoch\":2}\n");
        IOException e = assertThrows(IOException.class, () -> JsonLines.read(file, w -> { }));
        assertTrue(e.getMessage().startsWith(file + ": line 3 "), e.getMessage());
    }

    @Test
    void aLineThatIsNotAnObjectIsAnError() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        Files.writeString(file, "{\"epoch\":0}\n[1, 2]\n");
        IOException e = assertThrows(IOException.class, () -> JsonLines.read(file, w -> { }));
        assertTrue(e.getMessage().startsWith(file + ": line 2 ") && e.getMessage().contains("instead of an object"), e.getMessage());
        Files.writeString(file, "{\"epoch\":0} {\"epoch\":1}\n");
        IOException twoOnOneLine = assertThrows(IOException.class, () -> JsonLines.read(file, w -> { }));
        assertTrue(twoOnOneLine.getMessage().contains("line 1"), twoOnOneLine.getMessage());
    }

    @Test
    void lenientJsonIsRefusedThoughNonFiniteNumbersAreRead() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        for (String bad : List.of("{epoch: 1}", "{'epoch': 1}", "{\"epoch\": 1} // note", "{\"epoch\": 1; \"x\": 2}")) {
            Files.writeString(file, bad + "\n");
            IOException e = assertThrows(IOException.class, () -> JsonLines.read(file, w -> { }), "line " + bad);
            assertTrue(e.getMessage().startsWith(file + ": line 1 "), e.getMessage());
        }
        Files.writeString(file, "{\"a\": -Infinity, \"b\": Infinity, \"c\": \"say \\\"hi\\\" {x: 1}\", \"d\": -1.5e-3}\n");
        JsonObject o = JsonLines.read(file, w -> { }).get(0);
        assertEquals(Double.NEGATIVE_INFINITY, o.get("a").getAsDouble(), "a");
        assertEquals(Double.POSITIVE_INFINITY, o.get("b").getAsDouble(), "b");
        assertEquals("say \"hi\" {x: 1}", o.get("c").getAsString(), "c");
        assertEquals(-1.5e-3, o.get("d").getAsDouble(), 0.0, "d");
    }

    @Test
    void aMissingFileIsAnIOException() {
        assertThrows(IOException.class, () -> JsonLines.read(dir.resolve("none.jsonl")));
    }
}
